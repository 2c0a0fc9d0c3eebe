// The app namespace's allow rules (its default deny and DNS come with the namespace, see
// namespaces.ts): load balancer -> web/api, Prometheus -> api metrics, api -> Prometheus
// (ops board), api/migrations -> DB and Redis.
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { WorkloadSettings } from '../settings';
import { selectorLabels } from './labels';
import { API_METRICS_PORT, API_PORT } from './api';
import { WEB_PORT } from './web';
import { PROMETHEUS_PORT } from './monitoring';
import { CHAOS_CONTROLLER_PODS } from './namespaces';

type NetworkPolicyPorts = NonNullable<
  NonNullable<NonNullable<INetworkPolicy['spec']>['egress']>[number]['ports']
>;

function policy(s: WorkloadSettings, name: string, spec: INetworkPolicy['spec']): INetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name,
      namespace: s.namespace,
      labels: { 'app.kubernetes.io/part-of': 'dhakacart' },
    },
    spec,
  };
}

export function networkPolicies(s: WorkloadSettings): INetworkPolicy[] {
  const fromLoadBalancer = s.loadBalancerSourceCidrs.map((cidr) => ({ ipBlock: { cidr } }));
  const toDataTier = s.dataEgressCidrs.map((cidr) => ({ ipBlock: { cidr } }));
  const dataPorts: NetworkPolicyPorts = [
    { protocol: 'TCP', port: s.database.port },
    { protocol: 'TCP', port: s.redis.port },
  ];
  return [
    // Container-native load balancing sends traffic (and health checks) from Google's front ends
    // straight to pod IPs, so the Gateway is identified by these source ranges.
    policy(s, 'allow-gateway-to-web', {
      podSelector: { matchLabels: selectorLabels('web') },
      policyTypes: ['Ingress'],
      ingress: [{ from: fromLoadBalancer, ports: [{ protocol: 'TCP', port: WEB_PORT }] }],
    }),
    policy(s, 'allow-gateway-to-api', {
      podSelector: { matchLabels: selectorLabels('api') },
      policyTypes: ['Ingress'],
      ingress: [{ from: fromLoadBalancer, ports: [{ protocol: 'TCP', port: API_PORT }] }],
    }),
    // The nightly game day's StatusCheck (Chaos Mesh's controller) reads the api's /readyz.
    ...(s.chaos.enabled ? [chaosStatusCheckPolicy(s)] : []),
    policy(s, 'allow-prometheus-to-api-metrics', {
      podSelector: { matchLabels: selectorLabels('api') },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: {
                matchLabels: { 'kubernetes.io/metadata.name': s.monitoringNamespace },
              },
              podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
            },
          ],
          ports: [{ protocol: 'TCP', port: API_METRICS_PORT }],
        },
      ],
    }),
    policy(s, 'allow-api-to-prometheus', {
      podSelector: { matchLabels: selectorLabels('api') },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: {
                matchLabels: { 'kubernetes.io/metadata.name': s.monitoringNamespace },
              },
              podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
            },
          ],
          ports: [{ protocol: 'TCP', port: PROMETHEUS_PORT }],
        },
      ],
    }),
    policy(s, 'allow-api-to-data-tier', {
      podSelector: { matchLabels: selectorLabels('api') },
      policyTypes: ['Egress'],
      egress: [{ to: toDataTier, ports: dataPorts }],
    }),
    policy(s, 'allow-migrations-to-database', {
      podSelector: { matchLabels: selectorLabels('migrations') },
      policyTypes: ['Egress'],
      egress: [{ to: toDataTier, ports: [{ protocol: 'TCP', port: s.database.port }] }],
    }),
  ];
}

function chaosStatusCheckPolicy(s: WorkloadSettings): INetworkPolicy {
  return policy(s, 'allow-chaos-status-check-to-api', {
    podSelector: { matchLabels: selectorLabels('api') },
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [
          {
            namespaceSelector: {
              matchLabels: { 'kubernetes.io/metadata.name': s.chaosNamespace },
            },
            podSelector: { matchLabels: CHAOS_CONTROLLER_PODS },
          },
        ],
        ports: [{ protocol: 'TCP', port: API_PORT }],
      },
    ],
  });
}
