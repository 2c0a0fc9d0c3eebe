// The storefront: nginx serving static files on 8080.
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { WorkloadSettings } from '../settings';
import { commonLabels, selectorLabels } from './labels';
import {
  containerSecurityContext,
  drainingLifecycle,
  DRAIN_SECONDS,
  httpProbe,
  podSecurityContext,
  zoneSpread,
} from './pod';
import { horizontalAutoscaler } from './autoscaling';

export const WEB_PORT = 8080;

export function webServiceAccount(s: WorkloadSettings): IServiceAccount {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'web', namespace: s.namespace, labels: commonLabels(s, 'web') },
    automountServiceAccountToken: false,
  };
}

export function webDeployment(s: WorkloadSettings): IDeployment {
  const selector = selectorLabels('web');
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: s.namespace, labels: commonLabels(s, 'web') },
    spec: {
      // No `replicas`: the HPA owns the count (see api.ts).
      revisionHistoryLimit: 5,
      minReadySeconds: 5,
      selector: { matchLabels: selector },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
      template: {
        metadata: { labels: commonLabels(s, 'web') },
        spec: {
          serviceAccountName: 'web',
          automountServiceAccountToken: false,
          securityContext: podSecurityContext(),
          // nginx closes idle connections at once on SIGQUIT; 10 s covers in-flight responses.
          terminationGracePeriodSeconds: DRAIN_SECONDS + 10,
          topologySpreadConstraints: zoneSpread(selector),
          volumes: [
            // nginx keeps its pid and temp files under /tmp/nginx (app/web/nginx/nginx.conf).
            { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
          ],
          containers: [
            {
              name: 'web',
              image: s.images.web,
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: 'http', containerPort: WEB_PORT, protocol: 'TCP' }],
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              resources: {
                requests: {
                  cpu: s.web.resources.cpuRequest,
                  memory: s.web.resources.memoryRequest,
                },
                limits: { cpu: s.web.resources.cpuLimit, memory: s.web.resources.memoryLimit },
              },
              startupProbe: httpProbe('/healthz', 'http', 2, 15),
              livenessProbe: httpProbe('/healthz', 'http', 10, 3),
              readinessProbe: httpProbe('/healthz', 'http', 5, 2),
              lifecycle: drainingLifecycle(),
              securityContext: containerSecurityContext(),
            },
          ],
        },
      },
    },
  };
}

export function webService(s: WorkloadSettings): IService {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: s.namespace, labels: commonLabels(s, 'web') },
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels('web'),
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}

export function webAutoscaler(s: WorkloadSettings): IHorizontalPodAutoscaler {
  return horizontalAutoscaler(s, 'web', s.web.scaling);
}

export function webDisruptionBudget(s: WorkloadSettings): IPodDisruptionBudget {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'web', namespace: s.namespace, labels: commonLabels(s, 'web') },
    spec: {
      maxUnavailable: 1,
      selector: { matchLabels: selectorLabels('web') },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  };
}
