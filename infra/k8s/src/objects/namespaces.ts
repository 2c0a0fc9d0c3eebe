// Every namespace DhakaCart creates on GKE, with its Pod Security level and its network policy:
// default deny (ingress and egress) first, then only the paths that namespace's software needs.
// The add-on charts are installed into these namespaces after the policies exist, so nothing
// there ever runs unconfined. A namespace added here without a default deny fails
// `k8s-default-deny-every-namespace` (infra/policy) and the namespace enumeration tests.
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { WorkloadSettings } from '../settings';
import { podSecurityNamespace, type PodSecurityLevel } from './namespace';
import { PROMETHEUS_PORT } from './monitoring';
import { selectorLabels } from './labels';
import { LOKI_GATEWAY_PORT, LOKI_HTTP_PORT } from './logs';
import { API_PORT } from './api';
import { K6_RUNNER_LABEL } from './loadtest';

type Rule = NonNullable<NonNullable<INetworkPolicy['spec']>['egress']>[number];
type Peer = NonNullable<Rule['to']>[number];
type Ports = NonNullable<Rule['ports']>;

export const DEFAULT_DENY = 'default-deny-all';
/** k6 runners serve their REST API here (the operator and the starter pod call it). */
export const K6_RUNNER_PORT = 6565;
export const VELERO_METRICS_PORT = 8085;
/** Ports admission webhooks of the add-ons listen on (the VPC firewall opens the same). */
export const WEBHOOK_PORTS = [443, 8443, 9443, 10250];
export const KUBELET_PORT = 10250;
export const NODE_EXPORTER_PORT = 9100;
export const SMTP_SUBMISSION_PORT = 587;

const tcp = (...ports: number[]): Ports => ports.map((port) => ({ protocol: 'TCP', port }));
const inNamespace = (ns: string): Peer => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
});
const block = (cidr: string): Peer => ({ ipBlock: { cidr } });
/** The internet, but not the cluster's or the VPC's private ranges. */
const internet: Peer = {
  ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] },
};
const PROMETHEUS_PODS = { 'app.kubernetes.io/name': 'prometheus' };
const GRAFANA_PODS = { 'app.kubernetes.io/name': 'grafana' };
/** The Loki chart's gateway pods (nginx in front of the read and write paths). */
const LOKI_GATEWAY_PODS = { 'app.kubernetes.io/component': 'gateway' };
/** Chaos Mesh's controller (the chart's component label): it runs Workflow StatusChecks. */
export const CHAOS_CONTROLLER_PODS = { 'app.kubernetes.io/component': 'controller-manager' };
/** The label the peak TestRun puts on its runner pods (loadtest.ts). */
const K6_RUNNER_PODS = { [K6_RUNNER_LABEL.key]: K6_RUNNER_LABEL.value };
const ALERTMANAGER_PODS = { 'app.kubernetes.io/name': 'alertmanager' };

function policy(ns: string, name: string, spec: INetworkPolicy['spec']): INetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: ns, labels: { 'app.kubernetes.io/part-of': 'dhakacart' } },
    spec,
  };
}

export function defaultDeny(ns: string): INetworkPolicy {
  return policy(ns, DEFAULT_DENY, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
}

export function allowDns(ns: string): INetworkPolicy {
  return policy(ns, 'allow-dns-egress', {
    podSelector: {},
    policyTypes: ['Egress'],
    egress: [
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      },
    ],
  });
}

/** Controllers talk to the API server, which is the control plane's private endpoint. */
function allowApiServer(s: WorkloadSettings, ns: string): INetworkPolicy {
  return policy(ns, 'allow-apiserver-egress', {
    podSelector: {},
    policyTypes: ['Egress'],
    egress: [{ to: [block(s.network.controlPlaneCidr)], ports: tcp(443) }],
  });
}

/** Admission webhooks are called by the control plane. */
function allowWebhooks(s: WorkloadSettings, ns: string): INetworkPolicy {
  return policy(ns, 'allow-control-plane-webhooks', {
    podSelector: {},
    policyTypes: ['Ingress'],
    ingress: [{ from: [block(s.network.controlPlaneCidr)], ports: tcp(...WEBHOOK_PORTS) }],
  });
}

/** Google APIs over HTTPS, and the GKE metadata server that issues Workload Identity tokens. */
function allowGoogleApis(ns: string): INetworkPolicy {
  return policy(ns, 'allow-google-apis-egress', {
    podSelector: {},
    policyTypes: ['Egress'],
    egress: [
      { to: [internet], ports: tcp(443) },
      { to: [block('169.254.169.254/32')], ports: tcp(80) },
      { to: [block('169.254.169.252/32')], ports: tcp(988) },
    ],
  });
}

function allowWithinNamespace(ns: string): INetworkPolicy {
  return policy(ns, 'allow-same-namespace', {
    podSelector: {},
    policyTypes: ['Ingress', 'Egress'],
    ingress: [{ from: [{ podSelector: {} }] }],
    egress: [{ to: [{ podSelector: {} }] }],
  });
}

function allowMetricsFromPrometheus(s: WorkloadSettings, ns: string, port: number) {
  return policy(ns, 'allow-prometheus-scrape', {
    podSelector: {},
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [
          { ...inNamespace(s.monitoringNamespace), podSelector: { matchLabels: PROMETHEUS_PODS } },
        ],
        ports: tcp(port),
      },
    ],
  });
}

function monitoringPolicies(s: WorkloadSettings): INetworkPolicy[] {
  const ns = s.monitoringNamespace;
  return [
    allowApiServer(s, ns),
    allowWebhooks(s, ns),
    allowWithinNamespace(ns),
    // Prometheus scrapes every namespace's pods, the kubelets (cAdvisor) and node exporters.
    policy(ns, 'allow-prometheus-scrape-egress', {
      podSelector: { matchLabels: PROMETHEUS_PODS },
      policyTypes: ['Egress'],
      egress: [
        { to: [{ namespaceSelector: {}, podSelector: {} }] },
        { to: [block(s.network.nodesCidr)], ports: tcp(KUBELET_PORT, NODE_EXPORTER_PORT) },
      ],
    }),
    // k6 runners remote-write the load test's results (issue: results labelled by test id).
    policy(ns, 'allow-k6-remote-write', {
      podSelector: { matchLabels: PROMETHEUS_PODS },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            { ...inNamespace(s.loadtestNamespace), podSelector: { matchLabels: K6_RUNNER_PODS } },
          ],
          ports: tcp(PROMETHEUS_PORT),
        },
      ],
    }),
    // Grafana reads the logs through Loki's gateway.
    policy(ns, 'allow-grafana-to-loki', {
      podSelector: { matchLabels: GRAFANA_PODS },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            { ...inNamespace(s.loggingNamespace), podSelector: { matchLabels: LOKI_GATEWAY_PODS } },
          ],
          ports: tcp(LOKI_GATEWAY_PORT),
        },
      ],
    }),
    // The store's ops board reads Prometheus.
    policy(ns, 'allow-api-to-prometheus', {
      podSelector: { matchLabels: PROMETHEUS_PODS },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            { ...inNamespace(s.namespace), podSelector: { matchLabels: selectorLabels('api') } },
          ],
          ports: tcp(PROMETHEUS_PORT),
        },
      ],
    }),
    // Pages to the chat and SMS webhooks (HTTPS), tickets through the SMTP relay.
    policy(ns, 'allow-alertmanager-receivers', {
      podSelector: { matchLabels: ALERTMANAGER_PODS },
      policyTypes: ['Egress'],
      egress: [
        { to: [internet], ports: tcp(443) },
        ...(s.network.smtpRelayCidrs.length
          ? [{ to: s.network.smtpRelayCidrs.map(block), ports: tcp(SMTP_SUBMISSION_PORT) }]
          : []),
      ],
    }),
  ];
}

function loadtestPolicies(s: WorkloadSettings): INetworkPolicy[] {
  const ns = s.loadtestNamespace;
  return [
    // Results: the runners remote-write their metrics into the in-cluster Prometheus.
    policy(ns, 'allow-runners-to-prometheus', {
      podSelector: { matchLabels: K6_RUNNER_PODS },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              ...inNamespace(s.monitoringNamespace),
              podSelector: { matchLabels: PROMETHEUS_PODS },
            },
          ],
          ports: tcp(PROMETHEUS_PORT),
        },
      ],
    }),
    // The nightly CronJob creates the TestRun through the API server.
    policy(ns, 'allow-nightly-to-apiserver', {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'nightly-load' } },
      policyTypes: ['Egress'],
      egress: [{ to: [block(s.network.controlPlaneCidr)], ports: tcp(443) }],
    }),
    // Runners load the store through its public address, like the customers they stand for.
    policy(ns, 'allow-runners-to-store', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [internet], ports: tcp(443) }],
    }),
    // The operator and the starter pod drive the runners' REST API.
    policy(ns, 'allow-k6-control', {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        {
          from: [{ podSelector: {} }, inNamespace(s.k6OperatorNamespace)],
          ports: tcp(K6_RUNNER_PORT),
        },
      ],
      egress: [{ to: [{ podSelector: {} }], ports: tcp(K6_RUNNER_PORT) }],
    }),
  ];
}

/**
 * Loki and Alloy: Alloy discovers pods and tails their logs through the API server and pushes to
 * Loki's gateway; Loki's components talk among themselves (memberlist, gRPC) and write chunks to
 * GCS under Workload Identity; Grafana queries the gateway; Prometheus scrapes Loki.
 */
function loggingPolicies(s: WorkloadSettings): INetworkPolicy[] {
  const ns = s.loggingNamespace;
  return [
    allowApiServer(s, ns),
    allowWithinNamespace(ns),
    allowGoogleApis(ns),
    allowMetricsFromPrometheus(s, ns, LOKI_HTTP_PORT),
    policy(ns, 'allow-grafana-to-gateway', {
      podSelector: { matchLabels: LOKI_GATEWAY_PODS },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            { ...inNamespace(s.monitoringNamespace), podSelector: { matchLabels: GRAFANA_PODS } },
          ],
          ports: tcp(LOKI_GATEWAY_PORT),
        },
      ],
    }),
  ];
}

function k6OperatorPolicies(s: WorkloadSettings): INetworkPolicy[] {
  const ns = s.k6OperatorNamespace;
  return [
    allowApiServer(s, ns),
    policy(ns, 'allow-operator-to-runners', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [inNamespace(s.loadtestNamespace)], ports: tcp(K6_RUNNER_PORT) }],
    }),
  ];
}

export interface NamespacePlan {
  name: string;
  level: PodSecurityLevel;
  /** Why the level is what it is, for the reader of the generated YAML and the docs. */
  why: string;
  policies: INetworkPolicy[];
}

/** Every namespace the programs create, in creation order. */
export function namespacePlans(s: WorkloadSettings): NamespacePlan[] {
  return [
    {
      name: s.namespace,
      level: 'restricted',
      why: 'the store (api, web, migrations)',
      // The store's own allow rules live in network-policies.ts, with the objects they serve.
      policies: [],
    },
    {
      name: s.loadtestNamespace,
      level: 'baseline',
      why: "k6-operator's initializer/starter pods are not restricted-clean; its runners are",
      policies: loadtestPolicies(s),
    },
    {
      name: s.monitoringNamespace,
      level: 'privileged',
      why: 'node exporters read the host',
      policies: monitoringPolicies(s),
    },
    {
      name: s.loggingNamespace,
      level: 'baseline',
      why: 'Loki (GCS through Workload Identity) and the Alloy DaemonSet, which reads pod logs through the API server, not the host',
      policies: loggingPolicies(s),
    },
    {
      name: s.chaosNamespace,
      level: 'privileged',
      why: "Chaos Mesh's daemon injects faults into other pods",
      policies: [
        allowApiServer(s, s.chaosNamespace),
        allowWebhooks(s, s.chaosNamespace),
        allowWithinNamespace(s.chaosNamespace),
        // The game day's StatusCheck: the controller asks the api's /readyz.
        policy(s.chaosNamespace, 'allow-status-check-to-api', {
          podSelector: { matchLabels: CHAOS_CONTROLLER_PODS },
          policyTypes: ['Egress'],
          egress: [
            {
              to: [
                {
                  ...inNamespace(s.namespace),
                  podSelector: { matchLabels: selectorLabels('api') },
                },
              ],
              ports: tcp(API_PORT),
            },
          ],
        }),
      ],
    },
    {
      name: s.chaos.experimentsNamespace,
      level: 'restricted',
      why: 'the nightly chaos Workflow and its failover Task pods (gcloud under Workload Identity)',
      policies: [allowGoogleApis(s.chaos.experimentsNamespace)],
    },
    {
      name: s.veleroNamespace,
      level: 'baseline',
      why: 'Velero server (no node agent)',
      policies: [
        allowApiServer(s, s.veleroNamespace),
        allowGoogleApis(s.veleroNamespace),
        allowMetricsFromPrometheus(s, s.veleroNamespace, VELERO_METRICS_PORT),
      ],
    },
    {
      name: s.k6OperatorNamespace,
      level: 'restricted',
      why: 'the k6-operator controller',
      policies: k6OperatorPolicies(s),
    },
    {
      name: s.externalSecretsNamespace,
      level: 'restricted',
      why: 'External Secrets Operator',
      policies: [
        allowApiServer(s, s.externalSecretsNamespace),
        allowGoogleApis(s.externalSecretsNamespace),
        allowWebhooks(s, s.externalSecretsNamespace),
      ],
    },
  ];
}

/**
 * Namespaces and their default-deny + DNS policies, plus each namespace's own allow rules:
 * everything that must exist before any chart or object lands in them.
 */
export function namespaceObjects(s: WorkloadSettings): (INamespace | INetworkPolicy)[] {
  return namespacePlans(s).flatMap((n) => [
    podSecurityNamespace(n.name, n.level),
    defaultDeny(n.name),
    allowDns(n.name),
    ...n.policies,
  ]);
}
