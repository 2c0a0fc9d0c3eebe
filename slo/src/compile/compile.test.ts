import * as path from 'node:path';
import { parse } from 'yaml';
import { loadSpecs } from '../spec/load';
import { compileSlos, formatFloat, type AlertingRule, type RecordingRule } from './compile';
import { renderRuleFile } from './render';

const fixture = (f: string): string => path.join(__dirname, 'fixtures', f);

function compileFixture(f: string) {
  return compileSlos(loadSpecs(fixture(f)));
}

describe('compileSlos (Sloth conventions)', () => {
  const groups = compileFixture('sloth-events.yaml');
  const rules = groups.flatMap((g) => g.rules);
  const records = rules.filter((r): r is RecordingRule => 'record' in r);
  const alerts = rules.filter((r): r is AlertingRule => 'alert' in r);

  it('names the groups like Sloth, with the long SLI windows in a group of their own', () => {
    expect(groups.map((g) => g.name)).toEqual([
      'sloth-slo-sli-recordings-myservice-requests-availability',
      'sloth-slo-sli-recordings-long-myservice-requests-availability',
      'sloth-slo-meta-recordings-myservice-requests-availability',
      'sloth-slo-alerts-myservice-requests-availability',
    ]);
  });

  it('evaluates the 2h to 30d windows once a minute, the 30 s to 1 h ones at every evaluation', () => {
    const windows = (g: (typeof groups)[number] | undefined) =>
      (g?.rules as RecordingRule[]).map((r) => r.labels.sloth_window);
    expect(groups[0]?.interval).toBeUndefined();
    expect(windows(groups[0])).toEqual(['30s', '5m', '30m', '1h']);
    expect(groups[1]?.interval).toBe('1m');
    expect(windows(groups[1])).toEqual(['2h', '6h', '1d', '3d', '30d']);
    // The fast page reads only windows evaluated every time.
    const page = alerts[0]!.expr;
    expect(page).toContain('slo:sli_error:ratio_rate5m');
    expect(page).toContain('slo:sli_error:ratio_rate1h');
  });

  it('records the SLI error ratio for the 30 s window, every Sloth window and the meta series', () => {
    expect(records.map((r) => r.record)).toEqual([
      ...['30s', '5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d'].map(
        (w) => `slo:sli_error:ratio_rate${w}`,
      ),
      'slo:objective:ratio',
      'slo:error_budget:ratio',
      'slo:time_period:days',
      'slo:current_burn_rate:ratio',
      'slo:period_burn_rate:ratio',
      'slo:period_error_budget_remaining:ratio',
      'sloth_slo_info',
    ]);
  });

  it('labels SLI recordings with sloth_id/service/slo/window and the spec labels', () => {
    const r1h = records.find((r) => r.record === 'slo:sli_error:ratio_rate1h');
    expect(r1h?.labels).toEqual({
      owner: 'myteam',
      tier: '2',
      sloth_id: 'myservice-requests-availability',
      sloth_service: 'myservice',
      sloth_slo: 'requests-availability',
      sloth_window: '1h',
    });
    expect(r1h?.expr).toBe(
      '(sum(rate(http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}[1h])))\n/\n' +
        '(sum(rate(http_request_duration_seconds_count{job="myservice"}[1h])))\n',
    );
  });

  it('records the 30 s window with the same name pattern, labels and expression as the others', () => {
    const r30s = records.find((r) => r.record === 'slo:sli_error:ratio_rate30s');
    expect(r30s?.labels).toEqual({
      owner: 'myteam',
      tier: '2',
      sloth_id: 'myservice-requests-availability',
      sloth_service: 'myservice',
      sloth_slo: 'requests-availability',
      sloth_window: '30s',
    });
    expect(r30s?.expr).toBe(
      '(sum(rate(http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}[30s])))\n/\n' +
        '(sum(rate(http_request_duration_seconds_count{job="myservice"}[30s])))\n',
    );
  });

  it('keeps alerts and meta series off the 30 s window (Sloth outputs unchanged)', () => {
    const others = [...alerts.map((a) => a.expr), ...records.map((r) => r.expr)];
    expect(others.filter((e) => e.includes('ratio_rate30s'))).toEqual([]);
    const raw = compileFixture('sloth-raw-multidoc.yaml')[0]?.rules[0] as RecordingRule;
    expect(raw.record).toBe('slo:sli_error:ratio_rate30s');
    expect(raw.expr).toContain('sum_over_time(unifipoller_client_satisfaction_ratio[30s])');
  });

  it('writes the objective, budget and period exactly as Sloth does', () => {
    const byName = (n: string) => records.find((r) => r.record === n)?.expr;
    expect(byName('slo:objective:ratio')).toBe('vector(0.9990000000000001)');
    expect(byName('slo:error_budget:ratio')).toBe('vector(1-0.9990000000000001)');
    expect(byName('slo:time_period:days')).toBe('vector(30)');
    expect(byName('slo:period_error_budget_remaining:ratio')).toBe(
      '1 - slo:period_burn_rate:ratio{sloth_id="myservice-requests-availability", sloth_service="myservice", sloth_slo="requests-availability"}',
    );
  });

  it('builds multi-window multi-burn-rate page and ticket alerts', () => {
    expect(alerts.map((a) => a.labels.sloth_severity)).toEqual(['page', 'ticket']);
    const [page, ticket] = alerts as [AlertingRule, AlertingRule];
    const budget = '0.0009999999999999432';
    for (const [w, f] of [
      ['5m', 14.4],
      ['1h', 14.4],
      ['30m', 6],
      ['6h', 6],
    ] as const) {
      expect(page.expr).toContain(
        `slo:sli_error:ratio_rate${w}{sloth_id="myservice-requests-availability", sloth_service="myservice", sloth_slo="requests-availability"} > (${f} * ${budget})`,
      );
    }
    for (const [w, f] of [
      ['2h', 3],
      ['1d', 3],
      ['6h', 1],
      ['3d', 1],
    ] as const) {
      expect(ticket.expr).toContain(
        `slo:sli_error:ratio_rate${w}{sloth_id="myservice-requests-availability", sloth_service="myservice", sloth_slo="requests-availability"} > (${f} * ${budget})`,
      );
    }
    expect(page.labels).toEqual({
      category: 'availability',
      routing_key: 'myteam',
      severity: 'pageteam',
      sloth_severity: 'page',
    });
    expect(page.annotations.summary).toBe("High error rate on 'myservice' requests responses");
    expect(page.annotations.title).toBe(
      '(page) {{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is too fast.',
    );
  });

  it('applies `for` only through the alert_for plugin', () => {
    const [page, ticket] = alerts;
    expect(page?.for).toBe('5m');
    expect(ticket?.for).toBeUndefined();
  });

  it('compiles raw SLIs, disabled alerts, custom intervals and multi-document files', () => {
    const g = compileFixture('sloth-raw-multidoc.yaml');
    expect(g.map((x) => [x.name, x.interval])).toEqual([
      ['sloth-slo-sli-recordings-home-wifi-wifi-client-satisfaction', undefined],
      ['sloth-slo-sli-recordings-long-home-wifi-wifi-client-satisfaction', '1m'],
      ['sloth-slo-meta-recordings-home-wifi-wifi-client-satisfaction', undefined],
      ['sloth-slo-alerts-home-wifi-wifi-client-satisfaction', undefined],
      // An SLO's own interval longer than a minute applies to its long windows too.
      ['sloth-slo-sli-recordings-myapp-cpu-availability', '4m'],
      ['sloth-slo-sli-recordings-long-myapp-cpu-availability', '4m'],
      ['sloth-slo-meta-recordings-myapp-cpu-availability', '2m'],
    ]);
    const raw = g[0]?.rules[1] as RecordingRule;
    expect(raw.record).toBe('slo:sli_error:ratio_rate5m');
    expect(raw.expr).toMatch(/^\(1 - \(\n/);
    expect(raw.expr).toContain('sum_over_time(unifipoller_client_satisfaction_ratio[5m])');
    const wifiAlerts = g[3]?.rules as AlertingRule[];
    expect(wifiAlerts.map((a) => a.labels.sloth_severity)).toEqual(['page']);
    expect(wifiAlerts[0]?.expr).toContain('(14.4 * 0.05)');
  });

  it('renders a deterministic rule file that round-trips through YAML', () => {
    const text = renderRuleFile(groups);
    expect(renderRuleFile(compileFixture('sloth-events.yaml'))).toBe(text);
    expect((parse(text) as { groups: unknown[] }).groups).toHaveLength(4);
  });
});

describe('formatFloat', () => {
  it('prints like Go strconv (shortest digits, no exponent)', () => {
    expect(formatFloat(99.9 / 100)).toBe('0.9990000000000001');
    expect(formatFloat(1.5e-7)).toBe('0.00000015');
    expect(formatFloat(-2.5e-8)).toBe('-0.000000025');
    expect(formatFloat(1e21)).toBe('1000000000000000000000');
    expect(formatFloat(30)).toBe('30');
  });
});

describe('Sloth Kubernetes format (sloth.slok.dev/v1)', () => {
  it('compiles PrometheusServiceLevel documents like their prometheus/v1 twins', () => {
    const groups = compileFixture('sloth-k8s.yaml');
    expect(groups.map((g) => g.name)).toEqual([
      'sloth-slo-sli-recordings-myservice-requests-availability',
      'sloth-slo-sli-recordings-long-myservice-requests-availability',
      'sloth-slo-meta-recordings-myservice-requests-availability',
      'sloth-slo-alerts-myservice-requests-availability',
      'sloth-slo-sli-recordings-home-wifi-good-wifi-client-satisfaction',
      'sloth-slo-sli-recordings-long-home-wifi-good-wifi-client-satisfaction',
      'sloth-slo-meta-recordings-home-wifi-good-wifi-client-satisfaction',
    ]);
    const twin = compileFixture('sloth-events.yaml');
    const k8sPage = groups[3]?.rules[0] as AlertingRule;
    const v1Page = twin[3]?.rules[0] as AlertingRule;
    expect(k8sPage.expr).toBe(v1Page.expr);
    const info = groups[2]?.rules.find(
      (r) => 'record' in r && r.record === 'sloth_slo_info',
    ) as RecordingRule;
    expect(info.labels.sloth_spec).toBe('sloth.slok.dev/v1');
  });
});
