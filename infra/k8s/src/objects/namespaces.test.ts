import { ENVIRONMENTS } from '../environments';
import { buildObjectPhases, buildWorkloadObjects, type KubeObject } from '.';
import { DEFAULT_DENY, namespacePlans } from './namespaces';
import {
  alertmanagerExternalSecret,
  alertmanagerReceivers,
  ALERTMANAGER_SECRET,
} from './monitoring';
import { restrictedViolations } from './pod-security';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';

const noSlo = { ruleFiles: [], dashboards: [], missing: [] };

/** Every namespace the objects create or put something in. */
function namespacesOf(objects: KubeObject[]): string[] {
  const names = new Set<string>();
  for (const o of objects) {
    if (o.kind === 'Namespace') names.add(o.metadata!.name!);
    if (o.metadata?.namespace) names.add(o.metadata.namespace);
  }
  return [...names].sort();
}

const isDefaultDeny = (p: INetworkPolicy) =>
  p.metadata?.name === DEFAULT_DENY &&
  JSON.stringify(p.spec) ===
    JSON.stringify({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

describe.each(['staging', 'prod'] as const)('namespaces (%s)', (env) => {
  const s = ENVIRONMENTS[env];
  const objects = buildWorkloadObjects(s, noSlo);
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy') as INetworkPolicy[];

  it('every namespace the objects use is created here, with a Pod Security level', () => {
    const created = objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata!.name!);
    expect(namespacesOf(objects)).toEqual([...created].sort());
    expect(created.sort()).toEqual(
      namespacePlans(s)
        .map((n) => n.name)
        .sort(),
    );
  });

  it('every namespace has a default deny of ingress and egress', () => {
    const denied = new Set(policies.filter(isDefaultDeny).map((p) => p.metadata!.namespace));
    expect(namespacesOf(objects).filter((ns) => !denied.has(ns))).toEqual([]);
  });

  it('creates namespaces and their policies before anything is put in them', () => {
    const phases = buildObjectPhases(s, noSlo);
    expect(phases.namespaces.every((o) => ['Namespace', 'NetworkPolicy'].includes(o.kind))).toBe(
      true,
    );
    const first = new Map<string, number>();
    objects.forEach((o, i) => {
      const ns = o.kind === 'Namespace' ? o.metadata!.name! : o.metadata?.namespace;
      if (ns && !first.has(ns)) first.set(ns, i);
    });
    for (const [ns, i] of first)
      expect(objects[i]).toMatchObject({ kind: 'Namespace', metadata: { name: ns } });
  });

  it('lets the add-on controllers reach only the API server over the control-plane range', () => {
    const apiserver = policies.filter((p) => p.metadata?.name === 'allow-apiserver-egress');
    expect(apiserver.length).toBeGreaterThan(0);
    for (const p of apiserver)
      expect(p.spec!.egress).toEqual([
        {
          to: [{ ipBlock: { cidr: s.network.controlPlaneCidr } }],
          ports: [{ protocol: 'TCP', port: 443 }],
        },
      ]);
  });

  it('lets the ops board reach Prometheus in the monitoring namespace', () => {
    const p = policies.find(
      (x) =>
        x.metadata?.namespace === s.monitoringNamespace &&
        x.metadata?.name === 'allow-api-to-prometheus',
    )!;
    expect(p.spec!.ingress![0]!.from).toEqual([
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': s.namespace } },
        podSelector: {
          matchLabels: {
            'app.kubernetes.io/name': 'api',
            'app.kubernetes.io/part-of': 'dhakacart',
          },
        },
      },
    ]);
  });

  it('lets the k6 runners, and only them, remote-write into Prometheus', () => {
    const out = policies.find((x) => x.metadata?.name === 'allow-runners-to-prometheus')!;
    const into = policies.find((x) => x.metadata?.name === 'allow-k6-remote-write')!;
    expect(out.metadata!.namespace).toBe(s.loadtestNamespace);
    expect(out.spec!.podSelector).toEqual({
      matchLabels: { 'app.kubernetes.io/name': 'k6-runner' },
    });
    expect(into.metadata!.namespace).toBe(s.monitoringNamespace);
    expect(into.spec!.ingress![0]!.from![0]!.podSelector).toEqual(out.spec!.podSelector);
    expect(into.spec!.ingress![0]!.ports).toEqual([{ protocol: 'TCP', port: 9090 }]);
  });

  it('lets Loki reach GCS, Alloy the API server, and Grafana only the Loki gateway', () => {
    const inLogging = policies.filter((p) => p.metadata?.namespace === s.loggingNamespace);
    expect(inLogging.map((p) => p.metadata!.name)).toEqual(
      expect.arrayContaining([
        DEFAULT_DENY,
        'allow-apiserver-egress',
        'allow-google-apis-egress',
        'allow-grafana-to-gateway',
      ]),
    );
    const grafana = policies.find((p) => p.metadata?.name === 'allow-grafana-to-loki')!;
    expect(grafana.spec!.egress).toEqual([
      {
        to: [
          {
            namespaceSelector: {
              matchLabels: { 'kubernetes.io/metadata.name': s.loggingNamespace },
            },
            podSelector: { matchLabels: { 'app.kubernetes.io/component': 'gateway' } },
          },
        ],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ]);
  });

  it('lets Alertmanager out to HTTPS receivers and the SMTP relay only', () => {
    const p = policies.find((x) => x.metadata?.name === 'allow-alertmanager-receivers')!;
    expect(p.spec!.egress!.map((e) => e.ports)).toEqual([
      [{ protocol: 'TCP', port: 443 }],
      [{ protocol: 'TCP', port: 587 }],
    ]);
    expect(p.spec!.egress![1]!.to).toEqual(
      s.network.smtpRelayCidrs.map((cidr) => ({ ipBlock: { cidr } })),
    );
  });
});

describe('Alertmanager receivers on GKE', () => {
  const s = ENVIRONMENTS.prod;

  it('bring the chat, SMS and SMTP credentials from Secret Manager into one mounted Secret', () => {
    const es = alertmanagerExternalSecret(s);
    expect(es.metadata).toMatchObject({
      name: ALERTMANAGER_SECRET,
      namespace: s.monitoringNamespace,
    });
    expect(es.spec!.data!.map((d) => d.remoteRef.key)).toEqual(Object.values(s.alerting.secretIds));
  });

  it('read every credential from a file of that Secret and require STARTTLS', () => {
    const r = alertmanagerReceivers(s);
    const keys = alertmanagerExternalSecret(s).spec!.data!.map((d) => d.secretKey);
    for (const file of [r.slackApiUrlFile, r.smsTokenFile, r.smtpPasswordFile]) {
      expect(file.startsWith(`/etc/alertmanager/secrets/${ALERTMANAGER_SECRET}/`)).toBe(true);
      expect(keys).toContain(file.split('/').pop());
    }
    expect(r.smtpRequireTls).toBe(true);
  });
});

describe('Pod Security restricted', () => {
  const s = ENVIRONMENTS.prod;
  const objects = buildWorkloadObjects(s, noSlo);
  const restricted = new Set(
    namespacePlans(s)
      .filter((n) => n.level === 'restricted')
      .map((n) => n.name),
  );

  it('admits every pod the objects put into a restricted namespace', () => {
    const pods = objects
      .filter(
        (o) =>
          restricted.has(o.metadata?.namespace ?? '') && ['Deployment', 'Job'].includes(o.kind),
      )
      .map(
        (o) =>
          [
            o.metadata!.name,
            (o as unknown as { spec: { template: { spec: IPodSpec } } }).spec.template.spec,
          ] as const,
      );
    expect(pods.map(([n]) => n).sort()).toEqual([
      'api',
      expect.stringMatching(/^api-migrate-/),
      'web',
    ]);
    for (const [name, pod] of pods) expect([name, restrictedViolations(pod)]).toEqual([name, []]);
  });

  it('rejects a container with no securityContext, naming each rule', () => {
    expect(restrictedViolations({ containers: [{ name: 'manager', image: 'x:1' }] })).toEqual([
      'container "manager" must set allowPrivilegeEscalation: false',
      'container "manager" must set runAsNonRoot: true (container or pod)',
      'container "manager" must set seccompProfile RuntimeDefault or Localhost (container or pod)',
      'container "manager" must drop ALL capabilities',
    ]);
  });
});
