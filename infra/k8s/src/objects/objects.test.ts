import { ENVIRONMENTS } from '../environments';
import { buildWorkloadObjects, type KubeObject } from '.';
import { migrationJob, migrationJobName, API_SHUTDOWN_SECONDS } from './api';
import { DRAIN_SECONDS } from './pod';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IHTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';

type IHTTPRouteSpec = NonNullable<IHTTPRoute['spec']> & {
  rules: NonNullable<NonNullable<IHTTPRoute['spec']>['rules']>;
};

const noSlo = { ruleFiles: [], dashboards: [], missing: [] };
const prod = ENVIRONMENTS.prod;
const objects = buildWorkloadObjects(prod, noSlo);
const ofKind = <T>(kind: string) => objects.filter((o) => o.kind === kind) as unknown as T[];
const deployments = ofKind<IDeployment>('Deployment');

describe('app Deployments', () => {
  it('are the api and web Deployments', () => {
    expect(deployments.map((d) => d.metadata?.name).sort()).toEqual(['api', 'web']);
  });

  it.each(['api', 'web'])('%s rolls out with maxUnavailable 0', (name) => {
    const d = deployments.find((x) => x.metadata?.name === name)!;
    expect(d.spec?.strategy?.rollingUpdate?.maxUnavailable).toBe(0);
  });

  it.each(['api', 'web'])(
    '%s has startup, liveness and readiness probes, requests and limits',
    (name) => {
      const c = deployments.find((x) => x.metadata?.name === name)!.spec!.template.spec!
        .containers[0]!;
      expect(c.startupProbe?.httpGet).toBeDefined();
      expect(c.livenessProbe?.httpGet).toBeDefined();
      expect(c.readinessProbe?.httpGet).toBeDefined();
      expect(Object.keys(c.resources?.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(c.resources?.limits ?? {}).sort()).toEqual(['cpu', 'memory']);
    },
  );

  it.each(['api', 'web'])(
    '%s runs non-root with a read-only root filesystem and no capabilities',
    (name) => {
      const pod = deployments.find((x) => x.metadata?.name === name)!.spec!.template.spec!;
      const sc = pod.containers[0]!.securityContext!;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
      expect(sc).toMatchObject({
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
    },
  );

  it.each(['api', 'web'])('%s is spread hard across zones and drains before SIGTERM', (name) => {
    const pod = deployments.find((x) => x.metadata?.name === name)!.spec!.template.spec!;
    expect(pod.topologySpreadConstraints).toContainEqual(
      expect.objectContaining({
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'DoNotSchedule',
        maxSkew: 1,
      }),
    );
    expect(pod.containers[0]!.lifecycle?.preStop?.sleep?.seconds).toBe(DRAIN_SECONDS);
  });

  it.each(['api', 'web'])(
    "%s's zone spread ignores a lost zone's tainted nodes, so the surviving zones can scale up",
    (name) => {
      const pod = deployments.find((x) => x.metadata?.name === name)!.spec!.template.spec!;
      const hard = pod.topologySpreadConstraints!.filter(
        (c) => c.whenUnsatisfiable === 'DoNotSchedule',
      );
      expect(hard.length).toBeGreaterThan(0);
      for (const c of hard) expect(c.nodeTaintsPolicy).toBe('Honor');
    },
  );

  it('tells the api to read the GKE (kube-state-metrics, cAdvisor) series on its ops board', () => {
    const env = deployments.find((x) => x.metadata?.name === 'api')!.spec!.template.spec!
      .containers[0]!.env!;
    expect(env.find((e) => e.name === 'OPS_PLATFORM')?.value).toBe('gke');
  });

  it('gives the API time to drain and then finish its 25 s graceful shutdown', () => {
    const api = deployments.find((x) => x.metadata?.name === 'api')!;
    expect(api.spec!.template.spec!.terminationGracePeriodSeconds).toBeGreaterThan(
      DRAIN_SECONDS + API_SHUTDOWN_SECONDS,
    );
  });

  it('mounts the API secrets as files from the ExternalSecret target, never as values', () => {
    const api = deployments.find((x) => x.metadata?.name === 'api')!;
    const env = api.spec!.template.spec!.containers[0]!.env!;
    expect(env.find((e) => e.name === 'DB_PASSWORD_FILE')?.value).toBe(
      '/var/run/secrets/dhakacart/db-password',
    );
    expect(env.some((e) => /PASSWORD$|KEY$/.test(e.name) && !e.name.endsWith('_FILE'))).toBe(false);
    expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
  });
});

describe('HPA and PDB', () => {
  it('leaves the replica count to the HPAs, so `pulumi up` never shrinks a scaled-out Deployment', () => {
    for (const d of deployments) expect(d.spec).not.toHaveProperty('replicas');
  });

  it('scales api on CPU and on load-balancer requests per second', () => {
    const hpa = objects.find(
      (o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata?.name === 'api',
    ) as KubeObject & {
      spec: { metrics: { type: string }[]; minReplicas: number };
    };
    expect(hpa.spec.metrics.map((m) => m.type)).toEqual(['Resource', 'Object']);
    expect(hpa.spec.minReplicas).toBe(prod.api.scaling.minReplicas);
  });

  it('has a PDB selecting each Deployment', () => {
    const pdbs = objects.filter((o) => o.kind === 'PodDisruptionBudget') as (KubeObject & {
      spec: { selector: { matchLabels: object } };
    })[];
    for (const d of deployments) {
      expect(
        pdbs.some(
          (p) =>
            JSON.stringify(p.spec.selector.matchLabels) ===
            JSON.stringify(d.spec!.selector.matchLabels),
        ),
      ).toBe(true);
    }
  });
});

describe('NetworkPolicies of the app namespace', () => {
  const policies = ofKind<INetworkPolicy>('NetworkPolicy').filter(
    (p) => p.metadata?.namespace === prod.namespace,
  );

  it('deny all ingress and egress in the namespace by default', () => {
    expect(policies).toContainEqual(
      expect.objectContaining({ spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } }),
    );
  });

  it('let only api, migrations and the clone drill reach the data-tier range', () => {
    const dataCidr = prod.dataEgressCidrs[0];
    const reaching = policies.filter((p) =>
      p.spec?.egress?.some((e) => e.to?.some((t) => t.ipBlock?.cidr === dataCidr)),
    );
    expect(
      reaching.map((p) => p.spec?.podSelector?.matchLabels?.['app.kubernetes.io/name']).sort(),
    ).toEqual(['api', 'db-drill', 'migrations']);
    // The drill reads the live database only in a read-only transaction (restore-drill.pg.test.ts).
  });

  it('let the api, and only the api, reach Prometheus for the ops status board', () => {
    const api = deployments.find((x) => x.metadata?.name === 'api')!;
    const url = api.spec!.template.spec!.containers[0]!.env!.find(
      (e) => e.name === 'PROMETHEUS_URL',
    )?.value;
    expect(url).toBe('http://kps-prometheus.monitoring.svc.cluster.local:9090');
    const toPrometheus = policies.filter((p) =>
      p.spec?.egress?.some((e) =>
        e.to?.some(
          (t) =>
            t.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'monitoring' &&
            t.podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'prometheus',
        ),
      ),
    );
    expect(
      toPrometheus.map((p) => p.spec?.podSelector?.matchLabels?.['app.kubernetes.io/name']),
    ).toEqual(['api']);
    expect(toPrometheus[0]!.spec!.egress![0]!.ports).toEqual([{ protocol: 'TCP', port: 9090 }]);
  });

  it('let only the load balancer ranges reach web and api', () => {
    const ingress = policies.filter((p) =>
      p.spec?.ingress?.some((i) => i.from?.some((f) => f.ipBlock)),
    );
    expect(ingress.map((p) => p.metadata?.name).sort()).toEqual([
      'allow-gateway-to-api',
      'allow-gateway-to-web',
    ]);
    for (const p of ingress) {
      expect(p.spec!.ingress![0]!.from!.map((f) => f.ipBlock?.cidr)).toEqual(
        prod.loadBalancerSourceCidrs,
      );
    }
  });
});

describe('migrations Job', () => {
  it('runs the migrate CLI from the API image and gets a new name per image', () => {
    const job = migrationJob(prod);
    expect(job.spec!.template.spec!.containers[0]).toMatchObject({
      image: prod.images.api,
      command: ['node', 'dist/cli/migrate.js', 'up'],
    });
    const other = {
      ...prod,
      images: { ...prod.images, api: prod.images.api.replace(/0{64}$/, '1'.repeat(64)) },
    };
    expect(migrationJobName(other)).not.toBe(migrationJobName(prod));
  });

  it('is applied before the api Deployment', () => {
    const api = deployments.find((x) => x.metadata?.name === 'api')!;
    expect(api.metadata?.annotations?.['config.kubernetes.io/depends-on']).toBe(
      `batch/namespaces/dhakacart/Job/${migrationJobName(prod)}`,
    );
  });
});

describe('environments', () => {
  it('runs the staging-only chaos Schedule in staging alone', () => {
    const chaosIn = (env: 'staging' | 'prod') =>
      buildWorkloadObjects(ENVIRONMENTS[env], noSlo).filter((o) =>
        o.apiVersion.startsWith('chaos-mesh.org'),
      ).length;
    expect(chaosIn('staging')).toBe(1);
    expect(chaosIn('prod')).toBe(0);
  });
});

describe('the store HTTPRoute', () => {
  const route = ofKind<{ metadata: { name: string }; spec: IHTTPRouteSpec }>('HTTPRoute').find(
    (r) => r.metadata.name === 'store',
  )!;
  const targets = (path: string) =>
    route.spec.rules
      .filter((r) => r.matches?.some((m) => m.path?.value === path))
      .flatMap((r) => r.backendRefs?.map((b) => b.name));

  it('has one rule per SLO journey path, all to the one api Service (its LB counts per rule)', () => {
    for (const path of ['/api/products', '/api/categories', '/api/cart', '/api/orders', '/api'])
      expect([path, targets(path)]).toEqual([path, ['api']]);
    expect(targets('/')).toEqual(['web']);
    const services = new Set(route.spec.rules.flatMap((r) => r.backendRefs?.map((b) => b.name)));
    expect([...services].sort()).toEqual(['api', 'web']);
  });
});
