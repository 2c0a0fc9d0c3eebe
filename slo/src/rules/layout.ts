import { parser } from '@prometheus-io/lezer-promql';
import { LONG_SLI_GROUP_PREFIX, SLI_GROUP_PREFIX } from '../compile/compile';

/** A Prometheus rule file as `parse` (yaml) reads it: only what the layout needs is typed. */
export interface RuleFileDoc {
  groups: { name: string; interval?: string; rules: { record?: string; expr: string }[] }[];
}

const isLong = (name: string): boolean => name.startsWith(LONG_SLI_GROUP_PREFIX);
const isSli = (name: string): boolean => name.startsWith(SLI_GROUP_PREFIX) && !isLong(name);

/**
 * The layout before ADR 0206's decision 15: each SLO's long windows (2h to 30d) back in its SLI
 * group, evaluated at that group's interval, in the order Sloth writes them. Same rules, same
 * expressions; only the grouping (and so how often they run) differs. For the rule-cost benchmark.
 */
export function withLongWindowsInline(doc: RuleFileDoc): RuleFileDoc {
  const long = new Map(
    doc.groups
      .filter((g) => isLong(g.name))
      .map((g) => [g.name.slice(LONG_SLI_GROUP_PREFIX.length), g.rules]),
  );
  const merged = doc.groups
    .filter((g) => !isLong(g.name))
    .map((g) => {
      if (!isSli(g.name)) return g;
      const id = g.name.slice(SLI_GROUP_PREFIX.length);
      const rules = long.get(id);
      long.delete(id);
      return rules ? { ...g, rules: [...g.rules, ...rules] } : g;
    });
  if (long.size)
    throw new Error(`long-window groups without an SLI group: ${[...long.keys()].join(', ')}`);
  return { ...doc, groups: merged };
}

/** Which SLI group a rule group is: short (every evaluation), long (once a minute), or other. */
export function sliGroupKind(name: string): 'short' | 'long' | 'other' {
  return isLong(name) ? 'long' : isSli(name) ? 'short' : 'other';
}

/**
 * The vector selectors of scraped series (not of recordings, whose names hold a colon) that the
 * SLI recordings read, each once, e.g. `haproxy_backend_http_responses_total{job="edge",...}`.
 */
export function scrapedSelectors(doc: RuleFileDoc): string[] {
  const found = new Set<string>();
  for (const g of doc.groups) {
    if (sliGroupKind(g.name) === 'other') continue;
    for (const r of g.rules) {
      parser.parse(r.expr).iterate({
        enter(node) {
          if (node.type.name !== 'VectorSelector') return true;
          const text = r.expr.slice(node.from, node.to).trim();
          const name = /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(text)?.[0] ?? '';
          if (name && !name.includes(':')) found.add(text);
          return false;
        },
      });
    }
  }
  return [...found].sort();
}
