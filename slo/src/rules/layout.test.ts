import * as fs from 'node:fs';
import { parse } from 'yaml';
import { GENERATED_RULES } from './rule-files';
import { scrapedSelectors, sliGroupKind, withLongWindowsInline, type RuleFileDoc } from './layout';

const committed = (): RuleFileDoc => parse(fs.readFileSync(GENERATED_RULES, 'utf8')) as RuleFileDoc;
const records = (doc: RuleFileDoc): string[] =>
  doc.groups.flatMap((g) => g.rules.map((r) => `${r.record ?? ''}|${r.expr}`)).sort();

test('the layout before decision 15 has the same rules, every window back in its SLI group', () => {
  const doc = committed();
  const before = withLongWindowsInline(doc);
  expect(records(before)).toEqual(records(doc));
  expect(before.groups.filter((g) => sliGroupKind(g.name) === 'long')).toEqual([]);
  const sli = before.groups.filter((g) => sliGroupKind(g.name) === 'short');
  expect(sli.length).toBe(doc.groups.filter((g) => sliGroupKind(g.name) === 'long').length);
  for (const g of sli) {
    const short = doc.groups.find((d) => d.name === g.name)!;
    expect(g.interval).toBe(short.interval);
    expect(g.rules.map((r) => r.record?.replace('slo:sli_error:ratio_rate', ''))).toEqual([
      '30s',
      '5m',
      '30m',
      '1h',
      '2h',
      '6h',
      '1d',
      '3d',
      '30d',
    ]);
  }
});

test('a long-window group without its SLI group is refused, not dropped', () => {
  const doc = committed();
  const orphan = doc.groups.find((g) => sliGroupKind(g.name) === 'long')!;
  expect(() =>
    withLongWindowsInline({ groups: [{ ...orphan, name: `${orphan.name}-elsewhere` }] }),
  ).toThrow('long-window groups without an SLI group');
});

test('the scraped selectors are those the SLI rules read, never a recording', () => {
  const doc = committed();
  const selectors = scrapedSelectors(doc);
  expect(selectors).toContain(
    'haproxy_backend_http_responses_total{job="edge",proxy="api_browse",code="5xx"}',
  );
  expect(selectors.filter((s) => /^[^{]*:/.test(s))).toEqual([]);
  // Every SLI window's expression reads at least one of them; the alerts' and meta's read none.
  for (const g of doc.groups)
    for (const r of g.rules) {
      const reads = selectors.some((s) => r.expr.includes(s));
      if (sliGroupKind(g.name) === 'other') expect(reads).toBe(false);
      else if (!r.record?.endsWith('30d')) expect(reads).toBe(true);
    }
});
