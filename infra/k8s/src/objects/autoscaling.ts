import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { WorkloadSettings } from '../settings';
import { commonLabels } from './labels';

/**
 * GKE traffic-based autoscaling: the load balancer reports how full each Service's backends are
 * against `maxRatePerEndpoint` (set in the GCPBackendPolicy), so the HPA scales on requests per
 * second with no custom-metrics adapter. 70 % fullness leaves head-room for a zone failure.
 */
export const GCLB_FULLNESS_METRIC = 'autoscaling.googleapis.com|gclb-capacity-fullness';
export const GCLB_TARGET_FULLNESS = 70;

export function horizontalAutoscaler(
  s: WorkloadSettings,
  component: 'api' | 'web',
  scaling: WorkloadSettings['api']['scaling'],
): IHorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: component, namespace: s.namespace, labels: commonLabels(s, component) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: component },
      minReplicas: scaling.minReplicas,
      maxReplicas: scaling.maxReplicas,
      metrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: { type: 'Utilization', averageUtilization: scaling.targetCpuUtilization },
          },
        },
        {
          type: 'Object',
          object: {
            describedObject: { apiVersion: 'v1', kind: 'Service', name: component },
            metric: { name: GCLB_FULLNESS_METRIC },
            target: { type: 'AverageValue', averageValue: String(GCLB_TARGET_FULLNESS) },
          },
        },
      ],
      behavior: {
        // Flash sales ramp in seconds: scale up fast, scale down slowly.
        scaleUp: {
          stabilizationWindowSeconds: 0,
          selectPolicy: 'Max',
          policies: [
            { type: 'Percent', value: 100, periodSeconds: 30 },
            { type: 'Pods', value: 6, periodSeconds: 30 },
          ],
        },
        scaleDown: {
          stabilizationWindowSeconds: 300,
          policies: [{ type: 'Percent', value: 20, periodSeconds: 60 }],
        },
      },
    },
  };
}
