// The error-budget gate where Prometheus is: a Job in the monitoring namespace (its network policy
// lets same-namespace pods reach Prometheus; nothing outside the cluster can). It runs the slo
// workspace's CLI, bundled into one file and mounted from a ConfigMap, on the release's own api
// image (Node, already pulled and attested), and exits with the gate's code: 0 pass, 1 breach,
// 2 undecidable. The workflow reads the code from the pod and the JSON verdict from its log.
import { ENVIRONMENTS, prometheusUrl } from '@dhakacart/infra-k8s';
import { dnsLabel, imageByDigest, InputError, MANAGED_BY, type K8sObject } from './live';

export const GATE_SCRIPT_KEY = 'gate.cjs';
const APP_UID = 10001;

export interface GateJobOptions {
  name: string;
  env: 'staging' | 'prod';
  /** A Node image by digest (the release's api image). */
  image: string;
  /** The ConfigMap holding the bundled CLI under `gate.cjs`. */
  configMap: string;
  /** Extra gate flags (`--window 5m`, `--slo checkout-availability`...). */
  args?: string[];
}

const GATE_FLAGS = new Set(['--slo', '--min-budget', '--max-burn', '--window', '--timeout-ms']);

export function gateJob(o: GateJobOptions): K8sObject {
  const settings = ENVIRONMENTS[o.env];
  const args = o.args ?? [];
  for (let i = 0; i < args.length; i += 2) {
    if (!GATE_FLAGS.has(args[i] ?? '') || args[i + 1] === undefined)
      throw new InputError(
        'BAD_GATE_ARGS',
        `gate flags go in pairs from ${[...GATE_FLAGS].join(', ')}`,
      );
  }
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: dnsLabel(o.name),
      namespace: settings.monitoringNamespace,
      labels: {
        ...MANAGED_BY,
        'app.kubernetes.io/name': 'slo-gate',
        'app.kubernetes.io/part-of': 'dhakacart',
      },
    },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: 300,
      ttlSecondsAfterFinished: 86_400,
      template: {
        metadata: {
          labels: {
            'app.kubernetes.io/name': 'slo-gate',
            'app.kubernetes.io/part-of': 'dhakacart',
          },
        },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: APP_UID,
            runAsGroup: APP_UID,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'gate',
              image: imageByDigest(o.image),
              command: [
                'node',
                `/opt/gate/${GATE_SCRIPT_KEY}`,
                'gate',
                '--prometheus',
                prometheusUrl(settings),
                '--json',
                ...args,
              ],
              resources: {
                requests: { cpu: '50m', memory: '64Mi' },
                limits: { cpu: '500m', memory: '256Mi' },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [{ name: 'gate', mountPath: '/opt/gate', readOnly: true }],
            },
          ],
          volumes: [{ name: 'gate', configMap: { name: o.configMap } }],
        },
      },
    },
  };
}
