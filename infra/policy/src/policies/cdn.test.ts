import { ENVIRONMENTS, storeRoute, catalogueCdnFilter } from '@dhakacart/infra-k8s';
import { resourceViolations } from '../testing';
import { cdnOnlyOnPublicCatalogue, matchReachesPrivate, prefixCovers } from './cdn';
import { TYPES, type Props } from './types';

const route = () => structuredClone(storeRoute(ENVIRONMENTS.prod)) as unknown as Props;
const filter = () => structuredClone(catalogueCdnFilter(ENVIRONMENTS.prod)) as unknown as Props;
const check = (type: string, props: Props) =>
  resourceViolations(cdnOnlyOnPublicCatalogue, type, props);

describe('cdn-only-on-public-paths', () => {
  it('passes the store route and its catalogue filter as rendered', async () => {
    expect(await check(TYPES.httpRoute, route())).toEqual([]);
    expect(await check(TYPES.gcpHttpFilter, filter())).toEqual([]);
  });

  it('reads Gateway API prefixes by whole segments', () => {
    expect(prefixCovers('/api', '/api/cart')).toBe(true);
    expect(prefixCovers('/api/products', '/api/productsx')).toBe(false);
    expect(prefixCovers('/', '/api/orders')).toBe(true);
    expect(matchReachesPrivate({ path: { type: 'Exact', value: '/api/orders/42' } })).toBe(
      '/api/orders',
    );
    expect(matchReachesPrivate({ path: { type: 'PathPrefix', value: '/api/products' } })).toBe(
      undefined,
    );
  });

  it.each([
    ['the cart', { path: { type: 'PathPrefix', value: '/api/cart' } }, /reaches \/api\/cart/],
    ['all of /api', { path: { type: 'PathPrefix', value: '/api' } }, /reaches \/api\/cart/],
    ['one order', { path: { type: 'Exact', value: '/api/orders/1' } }, /reaches \/api\/orders/],
    ['admin products', { path: { type: 'PathPrefix', value: '/api/admin' } }, /reaches/],
    ['a regular expression', { path: { type: 'RegularExpression', value: '/api/p.*' } }, /reaches/],
  ])('reports Cloud CDN in front of %s', async (_l, match, message) => {
    const r = route();
    r.spec.rules[0].matches.push(match);
    const found = await check(TYPES.httpRoute, r);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });

  it.each([
    [
      'a forced cache mode',
      (p: Props) => (p.spec.cachePolicy.cacheMode = 'FORCE_CACHE_ALL'),
      /USE_ORIGIN_HEADERS/,
    ],
    [
      'the session cookie in the key',
      (p: Props) => (p.spec.cachePolicy.cacheKeyPolicy.includedCookieNames = ['sid']),
      /cookies/,
    ],
    [
      'Authorization in the key',
      (p: Props) => (p.spec.cachePolicy.cacheKeyPolicy.includedHeaderNames = ['Authorization']),
      /credential headers: authorization/,
    ],
  ])('reports a filter with %s', async (_l, breakIt, message) => {
    const p = filter();
    breakIt(p);
    const found = await check(TYPES.gcpHttpFilter, p);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });
});
