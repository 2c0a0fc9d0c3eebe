import path from 'node:path';
import { EXPERIMENTS } from '@dhakacart/chaos/src/catalogue/experiments';
import { ENVIRONMENTS } from '../environments';
import { buildWorkloadObjects } from '.';
import {
  chaosObjects,
  durationSeconds,
  gamedaySchedule,
  gkeChaosSettings,
  objectTemplates,
  storeHealthUrl,
  type ChaosSchedule,
  type WorkflowTemplate,
} from './chaos';
import { restrictedViolations } from './pod-security';
import { CrdValidator, defaultCrdDir } from '../validate';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';

const noSlo = { ruleFiles: [], dashboards: [], missing: [] };
const staging = ENVIRONMENTS.staging;
const crds = new CrdValidator([defaultCrdDir(path.resolve(__dirname, '..', '..', '..', '..'))]);
const templatesOf = (s: ChaosSchedule) => s.spec.workflow.templates;
const byName = (ts: WorkflowTemplate[], n: string) => ts.find((t) => t.name === n)!;

describe('the catalogue’s Chaos Mesh objects', () => {
  const settings = gkeChaosSettings(staging);
  const rendered = EXPERIMENTS.flatMap((e) => e.gke(settings).map((o) => [e.name, o] as const));

  it('render for every experiment the cluster has (the lab-only ones render nothing)', () => {
    const names = new Set(rendered.map(([n]) => n));
    expect([...names]).toEqual(
      expect.arrayContaining(['api-kill', 'web-kill', 'db-latency', 'zone-loss']),
    );
    expect(names.has('payment-failing')).toBe(false);
  });

  it.each(rendered.map(([n, o]) => [`${n} ${o.kind}`, o] as const))(
    '%s validates against the Chaos Mesh CRDs',
    (_n, o) => {
      expect(crds.validate(o as never)).toEqual([]);
    },
  );

  it('select zone loss by topology.kubernetes.io/zone, never by node name', () => {
    const text = JSON.stringify(rendered.map(([, o]) => o));
    expect(text).not.toMatch(/GCPChaos|"nodes"|nodeName/);
    const zone = rendered.find(([n]) => n === 'zone-loss')![1];
    expect(JSON.stringify(zone)).toContain(`"topology.kubernetes.io/zone":"${staging.zones[0]}"`);
  });
});

describe('the nightly game day on GKE', () => {
  const schedule = gamedaySchedule(staging);
  const templates = templatesOf(schedule);

  it('is a Schedule of a Workflow in its own namespace, on staging only by default', () => {
    expect(schedule.spec).toMatchObject({
      type: 'Workflow',
      schedule: staging.chaos.schedule,
      concurrencyPolicy: 'Forbid',
    });
    expect(schedule.metadata.namespace).toBe(staging.chaos.experimentsNamespace);
    expect(chaosObjects(ENVIRONMENTS.prod)).toEqual([]);
    const prodOn = { ...ENVIRONMENTS.prod, chaos: { ...ENVIRONMENTS.prod.chaos, enabled: true } };
    expect(chaosObjects(prodOn).map((o) => o.kind)).toEqual(['ServiceAccount', 'Schedule']);
  });

  it('replaces the old hourly api pod kill', () => {
    const objects = buildWorkloadObjects(staging, noSlo);
    expect(
      objects.filter((o) => o.kind === 'Schedule' && o.apiVersion.startsWith('chaos')),
    ).toEqual([schedule]);
  });

  it('runs every rendered experiment serially, in catalogue order, each with its recovery pause', () => {
    const serial = byName(templates, 'experiments');
    expect(serial.templateType).toBe('Serial');
    const expected = EXPERIMENTS.filter((e) => e.gke(gkeChaosSettings(staging)).length).map(
      (e) => `step-${e.name}`,
    );
    expect(serial.children).toEqual(expected);
    for (const e of EXPERIMENTS.filter((x) => expected.includes(`step-${x.name}`))) {
      const step = byName(templates, `step-${e.name}`);
      expect(step.children![1]).toBe(`${e.name}-recover`);
      expect(byName(templates, `${e.name}-recover`)).toMatchObject({
        templateType: 'Suspend',
        deadline: `${e.recoveryBudgetSeconds}s`,
      });
    }
  });

  it('aborts on an HTTP StatusCheck of the store’s readiness for the whole run', () => {
    const entry = byName(templates, schedule.spec.workflow.entry);
    expect(entry).toMatchObject({ templateType: 'Parallel' });
    expect(entry.children).toEqual(['store-ready', 'experiments']);
    const check = byName(templates, 'store-ready');
    expect(check).toMatchObject({
      templateType: 'StatusCheck',
      abortWithStatusCheck: true,
      deadline: entry.deadline,
      statusCheck: {
        mode: 'Continuous',
        type: 'HTTP',
        http: { url: storeHealthUrl(staging), method: 'GET', criteria: { statusCode: '200' } },
      },
    });
    const steps = byName(templates, 'experiments').children!.map((n) => byName(templates, n));
    const stepSeconds = steps.reduce(
      (sum, st) =>
        sum + st.children!.reduce((x, c) => x + durationSeconds(byName(templates, c).deadline!), 0),
      0,
    );
    expect(durationSeconds(check.deadline!)).toBeGreaterThanOrEqual(stepSeconds);
  });

  it('names every template once and points only at templates that exist', () => {
    const names = templates.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const t of templates) for (const c of t.children ?? []) expect(names).toContain(c);
  });

  it('fails Cloud SQL and Memorystore over as gcloud Tasks, pinned, restricted-clean', () => {
    const tasks = templates.filter((t) => t.templateType === 'Task') as (WorkflowTemplate & {
      task: { container: IPodSpec['containers'][number] };
    })[];
    const commands = tasks.map((t) => t.task.container.command!.slice(0, 4).join(' '));
    expect(commands).toEqual(
      expect.arrayContaining([`gcloud sql instances failover`, `gcloud redis instances failover`]),
    );
    for (const t of tasks) {
      expect(t.task.container.image).toBe(staging.toolImages.gcloud);
      expect(t.task.container.command).toContain(
        t.task.container.command![1] === 'sql' ? staging.database.instance : staging.redis.instance,
      );
      expect(restrictedViolations({ containers: [t.task.container] })).toEqual([]);
    }
  });

  it('gives the Task pods the failover identity through the namespace’s default account', () => {
    const [sa] = chaosObjects(staging);
    expect(sa).toMatchObject({
      kind: 'ServiceAccount',
      metadata: {
        name: 'default',
        namespace: staging.chaos.experimentsNamespace,
        annotations: { 'iam.gke.io/gcp-service-account': staging.chaos.failoverServiceAccount },
      },
      automountServiceAccountToken: false,
    });
  });

  it('validates against the Chaos Mesh Schedule CRD', () => {
    expect(crds.validate(schedule as never)).toEqual([]);
  });
});

describe('objectTemplates', () => {
  it('turns a chaos object into a template whose deadline is its duration', () => {
    const t = objectTemplates(
      {
        apiVersion: 'chaos-mesh.org/v1alpha1',
        kind: 'StressChaos',
        metadata: { name: 'x', namespace: 'n' },
        spec: { mode: 'one', duration: '45s', stressors: {} },
      },
      30,
    );
    expect(t).toEqual({
      entry: 'x',
      seconds: 45,
      templates: [
        {
          name: 'x',
          templateType: 'StressChaos',
          deadline: '45s',
          stressChaos: { mode: 'one', stressors: {} },
        },
      ],
    });
  });

  it('prefixes a Workflow’s templates and their children with its name', () => {
    const t = objectTemplates(
      {
        apiVersion: 'chaos-mesh.org/v1alpha1',
        kind: 'Workflow',
        metadata: { name: 'w', namespace: 'n' },
        spec: {
          entry: 'a',
          templates: [
            { name: 'a', templateType: 'Parallel', deadline: '2m', children: ['b'] },
            { name: 'b', templateType: 'Suspend', deadline: '1m' },
          ],
        },
      },
      30,
    );
    expect(t.entry).toBe('w-a');
    expect(t.seconds).toBe(120);
    expect(t.templates.map((x) => [x.name, x.children])).toEqual([
      ['w-a', ['w-b']],
      ['w-b', undefined],
    ]);
  });

  it('refuses a Workflow whose entry names no template', () => {
    expect(() =>
      objectTemplates(
        {
          apiVersion: 'chaos-mesh.org/v1alpha1',
          kind: 'Workflow',
          metadata: { name: 'w', namespace: 'n' },
          spec: { entry: 'missing', templates: [] },
        },
        30,
      ),
    ).toThrow(/no template named by its entry missing/);
  });
});
