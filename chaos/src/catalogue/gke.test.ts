// The catalogue's GKE renderings, checked for what the CRD schemas cannot see: Chaos Mesh's
// webhook rules, Pod Security on the Task pods, and what a zone loss selects. The CRD validation
// itself runs in infra/k8s (src/objects/chaos.test.ts and `npm run check`).
import { EXPERIMENTS } from './experiments';
import type { ChaosObject, GkeChaosSettings } from './types';

const settings: GkeChaosSettings = {
  namespace: 'shop',
  chaosNamespace: 'chaos-runs',
  zones: ['asia-south1-a', 'asia-south1-b', 'asia-south1-c'],
  selectors: { api: { app: 'api' }, web: { app: 'web' } },
  project: 'shop-staging',
  region: 'asia-south1',
  databaseAddress: '10.1.2.3',
  cloudSqlInstance: 'shop-pg',
  memorystoreInstance: 'shop-redis',
  gcloudImage: `gcr.io/google.com/cloudsdktool/google-cloud-cli:1.0.0-slim@sha256:${'a'.repeat(64)}`,
};

type Template = Record<string, any> & { name: string; templateType: string };
const templates = (o: ChaosObject): Template[] =>
  o.kind === 'Workflow' ? ((o.spec as { templates: Template[] }).templates ?? []) : [];
const all = EXPERIMENTS.flatMap((e) => e.gke(settings));
const networkSpecs = [
  ...all.filter((o) => o.kind === 'NetworkChaos').map((o) => o.spec as Record<string, any>),
  ...all.flatMap(templates).flatMap((t) => (t.networkChaos ? [t.networkChaos] : [])),
];

describe('Chaos Mesh renderings of the catalogue', () => {
  it('name every object after its experiment, in the experiments namespace', () => {
    for (const e of EXPERIMENTS)
      for (const o of e.gke(settings)) {
        expect(o.metadata.namespace).toBe(settings.chaosNamespace);
        expect(o.metadata.labels?.['dhakacart.io/experiment']).toBe(o.metadata.name);
      }
  });

  it('never use `from`/`both` without naming the other side (Chaos Mesh’s webhook rule)', () => {
    expect(networkSpecs.length).toBeGreaterThan(0);
    for (const n of networkSpecs)
      if (n.direction === 'from' || n.direction === 'both')
        expect(n.target ?? n.externalTargets).toBeDefined();
  });

  it('cut the lost zone off from each surviving zone, selected by zone label', () => {
    const zone = EXPERIMENTS.find((e) => e.name === 'zone-loss')!.gke(settings)[0]!;
    const cuts = templates(zone).filter((t) => t.templateType === 'NetworkChaos');
    expect(cuts.map((t) => t.networkChaos.target.selector.nodeSelectors)).toEqual([
      { 'topology.kubernetes.io/zone': 'asia-south1-b' },
      { 'topology.kubernetes.io/zone': 'asia-south1-c' },
    ]);
    for (const t of cuts)
      expect(t.networkChaos.selector.nodeSelectors).toEqual({
        'topology.kubernetes.io/zone': 'asia-south1-a',
      });
  });

  it('give every failover Task the whole restricted profile and a writable gcloud home', () => {
    const tasks = all.flatMap(templates).filter((t) => t.templateType === 'Task');
    expect(tasks.length).toBeGreaterThanOrEqual(4);
    for (const t of tasks) {
      const c = t.task.container;
      expect(c.image).toBe(settings.gcloudImage);
      expect(c.securityContext).toMatchObject({
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(c.env).toContainEqual({ name: 'CLOUDSDK_CONFIG', value: '/tmp/gcloud' });
      expect(t.task.volumes).toContainEqual(expect.objectContaining({ name: 'tmp' }));
    }
  });

  it('give a Parallel template at least the deadline of its slowest child', () => {
    const seconds = (d: string) => Number(d.slice(0, -1)) * (d.endsWith('m') ? 60 : 1);
    for (const o of all) {
      const ts = templates(o);
      for (const p of ts.filter((t) => t.templateType === 'Parallel'))
        for (const child of p.children as string[]) {
          const c = ts.find((t) => t.name === child)!;
          expect(seconds(p.deadline)).toBeGreaterThanOrEqual(seconds(c.deadline));
        }
    }
  });
});
