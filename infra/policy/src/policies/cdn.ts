// Cloud CDN guardrails (issue 11: a cache must never serve one customer's data to another).
// A Gateway route rule that carries a GCPHTTPFilter may only match public catalogue paths, never
// a path under cart, auth, orders, admin or ops, and never a prefix that covers one of them
// (`/api`, `/`). A GCPHTTPFilter must follow the origin's Cache-Control (which says no-store on
// every private answer) and must not key on cookies or credentials.
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { TYPES, type Props } from './types';

/** Where a customer's own data lives: no cache may sit in front of these. */
export const PRIVATE_PATHS = ['/api/cart', '/api/auth', '/api/orders', '/api/admin', '/api/ops'];
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'x-session'];

/** Gateway API PathPrefix semantics: by whole segments, `/api` covers `/api/cart`. */
export function prefixCovers(prefix: string, path: string): boolean {
  const p = prefix.replace(/\/+$/, '');
  return p === '' || path === p || path.startsWith(`${p}/`);
}

/** True when a route match could send some request of a private path to the rule. */
export function matchReachesPrivate(match: Props): string | undefined {
  const type = match.path?.type ?? 'PathPrefix';
  const value: string = match.path?.value ?? '/';
  return PRIVATE_PATHS.find(
    (priv) =>
      type === 'Exact'
        ? prefixCovers(priv, value)
        : type === 'PathPrefix'
          ? prefixCovers(value, priv) || prefixCovers(priv, value)
          : true, // a regular expression cannot be reasoned about here: refuse it
  );
}

const usesCdn = (rule: Props) =>
  (rule.filters ?? []).some(
    (f: Props) => f.type === 'ExtensionRef' && f.extensionRef?.kind === 'GCPHTTPFilter',
  );

export const cdnOnlyOnPublicCatalogue: ResourceValidationPolicy = {
  name: 'cdn-only-on-public-paths',
  description:
    'Cloud CDN (a GCPHTTPFilter on an HTTPRoute rule) only on public paths, never cart, auth, orders, admin or ops; the filter follows the origin Cache-Control and keys on no cookie or credential.',
  enforcementLevel: 'mandatory',
  validateResource: (args, report) => {
    const p = args.props as Props;
    if (args.type === TYPES.httpRoute) {
      (p.spec?.rules ?? []).forEach((rule: Props, i: number) => {
        if (!usesCdn(rule)) return;
        const matches: Props[] = rule.matches?.length ? rule.matches : [{}];
        for (const m of matches) {
          const priv = matchReachesPrivate(m);
          if (priv)
            report(
              `rules[${i}] caches ${m.path?.type ?? 'PathPrefix'} ${m.path?.value ?? '/'} through Cloud CDN, which reaches ${priv}: private answers must never be cached.`,
            );
        }
      });
    }
    if (args.type === TYPES.gcpHttpFilter) {
      const policy = p.spec?.cachePolicy ?? {};
      if (policy.cacheMode !== 'USE_ORIGIN_HEADERS')
        report(
          `cachePolicy.cacheMode must be USE_ORIGIN_HEADERS (the api's Cache-Control decides), not ${String(policy.cacheMode)}.`,
        );
      const key = policy.cacheKeyPolicy ?? {};
      if ((key.includedCookieNames ?? []).length)
        report(
          'cachePolicy.cacheKeyPolicy must not include cookies (sessions would split or leak).',
        );
      const headers: string[] = (key.includedHeaderNames ?? []).map((h: string) => h.toLowerCase());
      const bad = headers.filter((h) => CREDENTIAL_HEADERS.includes(h));
      if (bad.length)
        report(
          `cachePolicy.cacheKeyPolicy must not include credential headers: ${bad.join(', ')}.`,
        );
    }
  },
};
