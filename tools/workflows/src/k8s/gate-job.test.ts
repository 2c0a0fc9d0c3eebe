import { restrictedViolations } from '@dhakacart/infra-k8s';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import { gateJob } from './gate-job';
import { findings, NEW_API } from './testing';

const job = (args?: string[]) =>
  gateJob({
    name: 'gate-canary-42',
    env: 'prod',
    image: NEW_API,
    configMap: 'gate-canary-42',
    args,
  });

describe('the in-cluster gate Job', () => {
  it('is a valid Job that meets the restricted Pod Security profile', async () => {
    const j = job(['--window', '5m']);
    expect(findings(j)).toEqual([]);
    const pod = (j.spec as { template: { spec: IPodSpec } }).template.spec;
    expect(restrictedViolations(pod)).toEqual([]);
  });

  it('runs next to Prometheus, on the in-cluster URL, once, and says its verdict as JSON', () => {
    const j = job(['--window', '5m']);
    expect(j.metadata.namespace).toBe('monitoring');
    const spec = j.spec as {
      backoffLimit: number;
      template: { spec: { containers: { command: string[] }[] } };
    };
    expect(spec.backoffLimit).toBe(0);
    expect(spec.template.spec.containers[0]!.command).toEqual([
      'node',
      '/opt/gate/gate.cjs',
      'gate',
      '--prometheus',
      'http://kps-prometheus.monitoring.svc.cluster.local:9090',
      '--json',
      '--window',
      '5m',
    ]);
  });

  it('refuses a flag the gate does not take, or one without a value', () => {
    expect(() => job(['--prometheus', 'http://elsewhere'])).toThrow(
      expect.objectContaining({ code: 'BAD_GATE_ARGS' }),
    );
    expect(() => job(['--window'])).toThrow(expect.objectContaining({ code: 'BAD_GATE_ARGS' }));
  });
});
