import path from 'node:path';
import { CrdValidator } from './crd-validator';
import { defaultCrdDir } from '.';
import { ENVIRONMENTS } from '../environments';
import { veleroSchedules } from '../objects/backups';
import { gamedaySchedule } from '../objects/chaos';
import { peakTestRun } from '../objects/loadtest';
import { readK6Scripts } from '../objects/k6-scripts';

const crds = new CrdValidator([defaultCrdDir(path.resolve(__dirname, '..', '..', '..', '..'))]);
const staging = ENVIRONMENTS.staging;
const clone = <T>(o: T): T => structuredClone(o);

describe('CrdValidator against the real CRDs in ../shared/crds', () => {
  it('loads the Velero, Chaos Mesh and k6-operator kinds', () => {
    expect(crds.kinds).toEqual(
      expect.arrayContaining([
        'velero.io/v1/Schedule',
        'chaos-mesh.org/v1alpha1/Schedule',
        'k6.io/v1alpha1/TestRun',
      ]),
    );
  });

  it('accepts every Velero Schedule, Chaos Mesh Schedule and k6 TestRun we render', () => {
    for (const o of [
      ...veleroSchedules(staging),
      gamedaySchedule(staging),
      peakTestRun(staging, readK6Scripts()),
    ]) {
      expect({ kind: o.kind, findings: crds.validate(o) }).toEqual({ kind: o.kind, findings: [] });
    }
  });

  it('rejects a Velero Schedule with a misspelt backup field (the API server would drop it)', () => {
    const bad = clone(veleroSchedules(staging)[0]!) as unknown as {
      spec: { template: Record<string, unknown> };
    };
    bad.spec.template.includeNamespaces = bad.spec.template.includedNamespaces;
    delete bad.spec.template.includedNamespaces;
    expect(crds.validate(bad as never)).toEqual([
      expect.objectContaining({
        path: '/spec/template',
        message: expect.stringContaining('includeNamespaces'),
      }),
    ]);
  });

  it('rejects a Velero Schedule without a cron schedule', () => {
    const bad = clone(veleroSchedules(staging)[0]!) as unknown as { spec: Record<string, unknown> };
    delete bad.spec.schedule;
    expect(crds.validate(bad as never)[0]?.message).toMatch(/schedule/);
  });

  it('rejects a Chaos Mesh Schedule with an unknown chaos action', () => {
    const bad = clone(gamedaySchedule(staging)) as unknown as {
      spec: { workflow: { templates: { podChaos?: { action: string } }[] } };
    };
    const i = bad.spec.workflow.templates.findIndex((t) => t.podChaos);
    bad.spec.workflow.templates[i]!.podChaos!.action = 'pod-explode';
    expect(crds.validate(bad as never)).toEqual([
      expect.objectContaining({ path: `/spec/workflow/templates/${i}/podChaos/action` }),
    ]);
  });

  it('rejects a k6 TestRun whose parallelism is a string', () => {
    const bad = clone(peakTestRun(staging, readK6Scripts())) as unknown as {
      spec: { parallelism: unknown };
    };
    bad.spec.parallelism = 'twenty';
    expect(crds.validate(bad as never)).toEqual([
      expect.objectContaining({ path: '/spec/parallelism' }),
    ]);
  });

  it('reports an unknown kind instead of passing it', () => {
    expect(crds.validate({ apiVersion: 'velero.io/v1', kind: 'Nope' })[0]?.message).toMatch(
      /no CRD schema/,
    );
  });
});
