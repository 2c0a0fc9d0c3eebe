import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { DEFAULT_CATALOGUE_MAX_AGE_SECONDS } from '@dhakacart/api/src/http/routes/catalog';
import { ENVIRONMENTS } from '../environments';
import { buildWorkloadObjects } from '.';
import { CATALOGUE_CDN_FILTER, catalogueCdnFilter, storeRoute } from './gateway';
import { CATALOGUE_CACHE_ENV } from './api';
import { REPO_ROOT } from '../paths';
import { CrdValidator, localCrdDir } from '../validate';

type Match = { path?: { type?: string; value?: string } };
type Rule = { matches?: Match[]; filters?: { type: string; extensionRef?: { name: string } }[] };
const s = ENVIRONMENTS.prod;
const rules = (storeRoute(s).spec!.rules ?? []) as Rule[];

/**
 * Which rule a path takes, by Gateway API precedence: an Exact match first, then the longest
 * PathPrefix (by whole segments).
 */
function ruleFor(path: string, rs: Rule[] = rules): Rule | undefined {
  let best: { rule: Rule; score: number } | undefined;
  for (const rule of rs)
    for (const m of rule.matches ?? []) {
      const v = m.path?.value ?? '/';
      const p = v.replace(/\/+$/, '');
      const hit =
        m.path?.type === 'Exact' ? path === v : p === '' || path === p || path.startsWith(`${p}/`);
      const score = m.path?.type === 'Exact' ? 1e6 : v.length;
      if (hit && (!best || score > best.score)) best = { rule, score };
    }
  return best?.rule;
}
const cached = (path: string, rs?: Rule[]) =>
  (ruleFor(path, rs)?.filters ?? []).some((f) => f.extensionRef?.name === CATALOGUE_CDN_FILTER);

describe('Cloud CDN on the public catalogue (the lab edge’s micro-cache, in production)', () => {
  it.each(['/api/categories', '/api/products', '/api/products/42'])('caches %s', (p) => {
    expect(cached(p)).toBe(true);
  });

  it.each([
    '/api/cart',
    '/api/cart/items/3',
    '/api/auth/login',
    '/api/auth/me',
    '/api/orders',
    '/api/orders/7',
    '/api/admin/products',
    '/api/ops/status',
    '/api/productsx',
    '/api/categories/1',
    '/',
  ])('never caches %s', (p) => {
    expect(cached(p)).toBe(false);
    expect(ruleFor(p)).toBeDefined();
  });

  it('follows the api’s own Cache-Control and keys on no cookie or credential', () => {
    const f = catalogueCdnFilter(s);
    expect(f.spec.cachePolicy).toEqual({
      cacheMode: 'USE_ORIGIN_HEADERS',
      negativeCaching: false,
      requestCoalescing: true,
      cacheKeyPolicy: { includeHost: true, includeProtocol: true, includeQueryString: true },
    });
    // The staleness bound is the api's max-age: a few seconds (docs/gcp/cdn.md).
    expect(DEFAULT_CATALOGUE_MAX_AGE_SECONDS).toBeGreaterThan(0);
    expect(DEFAULT_CATALOGUE_MAX_AGE_SECONDS).toBeLessThanOrEqual(10);
  });

  it('keeps the api’s own catalogue cache to the lab’s, so the staleness bound is the same', () => {
    type Env = { name: string; value?: string }[];
    type Container = { name: string; env?: Env };
    const objects = buildWorkloadObjects(s, { ruleFiles: [], dashboards: [], missing: [] });
    const api = objects.find((o) => o.kind === 'Deployment' && o.metadata?.name === 'api') as
      { spec: { template: { spec: { containers: Container[] } } } } | undefined;
    const env = api?.spec.template.spec.containers.find((c) => c.name === 'api')?.env ?? [];
    const gke = Object.fromEntries(env.map((e) => [e.name, e.value]));
    const stack = YAML.parse(readFileSync(path.join(REPO_ROOT, 'infra/lab/stack.yml'), 'utf8')) as {
      services: { api: { environment: Record<string, string> } };
    };
    const lab = stack.services.api.environment;
    for (const name of Object.keys(CATALOGUE_CACHE_ENV)) {
      expect(lab[name]).toBeDefined();
      expect({ name, value: gke[name] }).toEqual({ name, value: lab[name] });
    }
    // ADR 0205: at most 10 s between a change and every visitor seeing it.
    const apiSeconds =
      Number(gke.CACHE_TTL_SECONDS) + Number(gke.CACHE_STALE_WHILE_REVALIDATE_SECONDS);
    expect(apiSeconds + DEFAULT_CATALOGUE_MAX_AGE_SECONDS).toBeLessThanOrEqual(10);
  });

  it('validates against the GCPHTTPFilter schema, which refuses a misspelt field', () => {
    const crds = new CrdValidator([localCrdDir()]);
    expect(crds.validate(catalogueCdnFilter(s) as never)).toEqual([]);
    const bad = structuredClone(catalogueCdnFilter(s)) as unknown as {
      spec: { cachePolicy: Record<string, unknown> };
    };
    bad.spec.cachePolicy.cacheMod = 'USE_ORIGIN_HEADERS';
    expect(crds.validate(bad as never)).toEqual([
      expect.objectContaining({ message: expect.stringContaining('cacheMod') }),
    ]);
    expect(path.basename(localCrdDir())).toBe('crds');
  });

  it('can be turned off for a cluster older than GKE 1.35.2 (no filter, nothing cached)', () => {
    const off = { ...s, cdn: { enabled: false } };
    const objects = buildWorkloadObjects(off, { ruleFiles: [], dashboards: [], missing: [] });
    expect(objects.some((o) => o.kind === 'GCPHTTPFilter')).toBe(false);
    const offRules = (storeRoute(off).spec!.rules ?? []) as Rule[];
    expect(cached('/api/products', offRules)).toBe(false);
    expect(ruleFor('/api/products', offRules)).toBeDefined();
  });
});
