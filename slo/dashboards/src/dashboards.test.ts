import * as fs from 'node:fs';
import * as path from 'node:path';
import { promqlSyntaxError } from '../../src/spec/promql';
import { EDGE_SOURCES } from '../../src/spec/edge-sources';
import { loadSpecs } from '../../src/spec/load';
import { buildDashboards, OUT_DIR, SPECS_DIR } from './generate';
import { concretePromql, panelsOf } from './targets';

describe('generated dashboards', () => {
  const all = buildDashboards();

  it('match the committed JSON (regenerate with npx tsx slo/dashboards/src/generate.ts)', () => {
    for (const [file, d] of Object.entries(all)) {
      expect(fs.readFileSync(path.join(OUT_DIR, file), 'utf8')).toBe(
        `${JSON.stringify(d, null, 2)}\n`,
      );
    }
  });

  it('use only valid PromQL', () => {
    const bad = Object.values(all)
      .flatMap(panelsOf)
      .flatMap((p) => p.exprs.map((e) => [p.title, e, promqlSyntaxError(concretePromql(e))]))
      .filter(([, , err]) => err !== undefined);
    expect(bad).toEqual([]);
  });

  it('colour every visual panel with green/yellow/red thresholds', () => {
    const visual = Object.values(all)
      .flatMap(panelsOf)
      .filter((p) => p.type !== 'row');
    expect(visual.length).toBeGreaterThan(20);
    for (const p of visual) {
      expect(p.thresholdColors.length).toBeGreaterThan(0);
      expect(p.thresholdColors.every((c) => ['green', 'yellow', 'red'].includes(c))).toBe(true);
    }
    const traffic = new Set([
      'Requests/s per route',
      'Checkout attempts by outcome',
      'DB pool connections by state',
      'Objective',
    ]);
    for (const p of visual.filter((v) => !traffic.has(v.title))) {
      expect([p.title, [...new Set(p.thresholdColors)].sort()]).toEqual([
        p.title,
        ['green', 'red', 'yellow'],
      ]);
    }
  });

  it('show traffic, errors, latency percentiles, resources, DB pool and cache on the overview', () => {
    const titles = panelsOf(all['service-overview.json']!).map((p) => p.title);
    for (const t of [
      'Requests/s per route',
      'Error ratio per route (5xx, at the api)',
      'Edge error ratio per journey (5xx, the SLIs)',
      'p50 latency',
      'p95 latency',
      'p99 latency',
      'CPU per service (cores)',
      'Memory per service (share of limit)',
      'DB pool connections by state',
      'Cache hit rate',
    ]) {
      expect(titles).toContain(t);
    }
  });

  it("chart the availability SLIs' own edge series, per journey, for the lab and for GKE", () => {
    const edge = panelsOf(all['service-overview.json']!).find(
      (p) => p.title === 'Edge error ratio per journey (5xx, the SLIs)',
    )!;
    const wanted = (['lab', 'gke'] as const).flatMap((platform) =>
      Object.values(EDGE_SOURCES[platform].journeys).map(
        (sel) => `${EDGE_SOURCES[platform].metric}{${sel}}`,
      ),
    );
    expect(wanted.filter((w) => !edge.exprs.some((e) => e.includes(w)))).toEqual([]);
    expect(edge.exprs).toHaveLength(wanted.length);
  });

  it('give every SLO objective, SLI, budget left and burn-rate panels', () => {
    const panels = panelsOf(all['slo.json']!);
    for (const slo of loadSpecs(SPECS_DIR)) {
      const mine = panels.filter((p) => p.exprs.some((e) => e.includes(`sloth_id="${slo.id}"`)));
      expect(mine.map((p) => p.title)).toEqual([
        'Objective',
        'SLI (30 days)',
        'Error budget left (30 days)',
        'Burn rate now (5m)',
        'Burn rate (30 days)',
        'Burn rate per window',
        'Error budget left over time',
      ]);
    }
  });
});
