// k6-operator TestRun for the peak (100k concurrent visitors) rehearsal on GKE. Runners go to the
// tainted load-test node pool so they never steal CPU from the store they measure.
import type { WorkloadSettings } from '../settings';

export const LOADTEST_POOL_LABEL = 'dhakacart.io/pool';
export const LOADTEST_POOL_VALUE = 'loadtest';
/** The loadtests workspace publishes its k6 scripts in this ConfigMap. */
export const K6_SCRIPTS_CONFIGMAP = 'k6-scripts';

export interface K6TestRun {
  apiVersion: 'k6.io/v1alpha1';
  kind: 'TestRun';
  metadata: { name: string; namespace: string };
  spec: Record<string, unknown> & {
    parallelism: number;
    script: { configMap: { name: string; file: string } };
  };
}

export function peakTestRun(s: WorkloadSettings, parallelism = 20): K6TestRun {
  return {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: { name: 'peak-100k', namespace: s.loadtestNamespace },
    spec: {
      parallelism,
      paused: 'true',
      separate: true,
      cleanup: 'post',
      arguments: '--tag testid=peak-100k',
      script: { configMap: { name: K6_SCRIPTS_CONFIGMAP, file: 'peak.js' } },
      runner: {
        env: [{ name: 'BASE_URL', value: `https://${s.domain}` }],
        nodeSelector: { [LOADTEST_POOL_LABEL]: LOADTEST_POOL_VALUE },
        tolerations: [
          {
            key: LOADTEST_POOL_LABEL,
            operator: 'Equal',
            value: LOADTEST_POOL_VALUE,
            effect: 'NoSchedule',
          },
        ],
        resources: {
          requests: { cpu: '1500m', memory: '2Gi' },
          limits: { cpu: '2', memory: '3Gi' },
        },
        securityContext: {
          runAsNonRoot: true,
          runAsUser: 12345,
          seccompProfile: { type: 'RuntimeDefault' },
        },
        containerSecurityContext: {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        },
      },
    },
  };
}
