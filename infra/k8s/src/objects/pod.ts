// Pod-level pieces every DhakaCart workload shares: the restricted security posture,
// zone spreading and probes.
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';
import type { ITopologySpreadConstraint } from 'kubernetes-models/v1/TopologySpreadConstraint';
import type { IProbe } from 'kubernetes-models/v1/Probe';

/** Both images run as this non-root uid (see app/api and app/web Dockerfiles). */
export const APP_UID = 10001;

export function podSecurityContext(): IPodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: APP_UID,
    runAsGroup: APP_UID,
    fsGroup: APP_UID,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export function containerSecurityContext(): ISecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: APP_UID,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    privileged: false,
    capabilities: { drop: ['ALL'] },
  };
}

/**
 * Hard spread over zones (a zone loss keeps 2/3 of capacity), soft spread over nodes.
 *
 * `nodeTaintsPolicy: Honor` is what lets it survive a zone loss: the lost zone's nodes turn
 * NotReady and get the `node.kubernetes.io/unreachable:NoSchedule` taint, so they (and the pods
 * still bound to them) stop counting. With the default (Ignore) the lost zone still counts with
 * its old pods, and the surviving zones cannot take the replicas the HPA adds without exceeding
 * the skew: scale-up stalls exactly when capacity is short.
 */
export function zoneSpread(selector: Record<string, string>): ITopologySpreadConstraint[] {
  return [
    {
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'DoNotSchedule',
      nodeTaintsPolicy: 'Honor',
      labelSelector: { matchLabels: selector },
      matchLabelKeys: ['pod-template-hash'],
    },
    {
      maxSkew: 1,
      topologyKey: 'kubernetes.io/hostname',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: selector },
      matchLabelKeys: ['pod-template-hash'],
    },
  ];
}

export function httpProbe(
  path: string,
  port: string,
  periodSeconds: number,
  failureThreshold: number,
): IProbe {
  return { httpGet: { path, port }, periodSeconds, failureThreshold, timeoutSeconds: 2 };
}

/**
 * Seconds a terminating pod keeps serving before SIGTERM. The load balancer needs this long to
 * take the endpoint out of its NEG, so no request meets a closed socket.
 */
export const DRAIN_SECONDS = 15;

export function drainingLifecycle(): IContainer['lifecycle'] {
  // Native sleep action (no shell needed in distroless-style images).
  return { preStop: { sleep: { seconds: DRAIN_SECONDS } } };
}
