// k6 TestRuns for a release's smoke test and the nightly peak: copies of the TestRun template the
// workloads stack keeps paused (`peak-100k`, loadtests/ owns its script), so the runners' pool,
// tolerations, security context and BASE_URL stay the stack's. Each run is a new object: the
// operator never runs a finished TestRun twice.
import { z } from 'zod';
import {
  dnsLabel,
  InputError,
  MANAGED_BY,
  metadataSchema,
  parseLive,
  type K8sObject,
} from './live';

const testRunSchema = z.object({
  apiVersion: z.literal('k6.io/v1alpha1'),
  kind: z.literal('TestRun'),
  metadata: metadataSchema,
  spec: z.looseObject({
    parallelism: z.number().int().positive(),
    script: z.object({ configMap: z.object({ name: z.string(), file: z.string() }) }),
  }),
});

export interface TestRunOptions {
  name: string;
  /** A file of the scripts ConfigMap (loadtests/generated/k6/). */
  script: string;
  /** Runners (default: the template's). */
  parallelism?: number;
}

export function testRunFrom(template: unknown, o: TestRunOptions): K8sObject {
  const t = parseLive(testRunSchema, template, 'the TestRun template');
  if (!/^[a-z0-9][a-z0-9._-]*\.js$/.test(o.script))
    throw new InputError('BAD_SCRIPT', `"${o.script}" is not a script file name`);
  const parallelism = o.parallelism ?? t.spec.parallelism;
  if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > t.spec.parallelism)
    throw new InputError(
      'BAD_PARALLELISM',
      `parallelism ${parallelism} is not between 1 and the template's ${t.spec.parallelism}`,
    );
  const name = dnsLabel(o.name);
  // Runner pods are kept after the run (no `cleanup`), so their exit codes and logs can be read;
  // the workflow deletes the TestRun, and with it the pods, once it has them.
  const { cleanup: _c, paused: _p, arguments: _a, ...spec } = t.spec;
  void _c;
  void _p;
  void _a;
  return {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: {
      name,
      namespace: t.metadata.namespace,
      labels: { ...MANAGED_BY, 'dhakacart.io/testrun-template': t.metadata.name },
    },
    spec: {
      ...spec,
      parallelism,
      arguments: `--tag testid=${name}`,
      script: { configMap: { ...t.spec.script.configMap, file: o.script } },
    },
  };
}
