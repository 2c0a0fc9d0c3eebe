import { promqlSyntaxError, renderWindow } from '../spec/promql';
import type { AlertModel, SloModel } from '../spec/load';
import { durationSeconds } from '../duration';

// Sloth's defaults for a 30-day SLO period (Google SRE workbook, table 5-8). Names, labels and
// expressions below follow Sloth's generated rules so Sloth dashboards and our gate work on both.
export const PERIOD_DAYS = 30;
export const SLI_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
/**
 * Our addition to Sloth's windows: a 30 s error ratio per SLO, recorded with the same name and
 * labels (`slo:sli_error:ratio_rate30s{sloth_window="30s"}`), to time a recovery in seconds
 * during a game day. No alert and no meta series reads it, so Sloth's own outputs are unchanged.
 * It needs at least two scrapes per 30 s: the lab scrapes the edge and the api every 5 s.
 */
export const SHORT_WINDOWS = ['30s'] as const;
export const PERIOD_WINDOW = '30d';
/**
 * Our second departure from Sloth: the windows that only the slow page (30m/6h), the tickets and
 * the dashboards read, with the period window, are a group of their own evaluated once a minute
 * at most. Each evaluation of `rate(...[3d])` decodes every sample of three days (at the lab's
 * 5 s scrapes, 51,840 a series): measured on a lab with 11 h of data, these windows were 86% of
 * the SLI rules' evaluation time, and it grows with the data kept (ADR 0206, decision 15). A
 * minute is nothing to a 6 h or 3 d window; the fast page (5m/1h) and the game day's 30 s SLIs
 * stay at every evaluation.
 */
export const LONG_SLI_WINDOWS = ['2h', '6h', '1d', '3d'] as const;
export const LONG_WINDOWS_INTERVAL = '1m';
/** Group names: `<prefix><slo id>`. The long windows' prefix extends the short one's. */
export const SLI_GROUP_PREFIX = 'sloth-slo-sli-recordings-';
export const LONG_SLI_GROUP_PREFIX = 'sloth-slo-sli-recordings-long-';
export const BURN_POLICY = {
  page: {
    quick: { short: '5m', long: '1h', factor: 14.4 },
    slow: { short: '30m', long: '6h', factor: 6 },
  },
  ticket: {
    quick: { short: '2h', long: '1d', factor: 3 },
    slow: { short: '6h', long: '3d', factor: 1 },
  },
} as const;

export const GENERATOR_VERSION = 'dhakacart-slo/0.1.0';

export interface RecordingRule {
  record: string;
  expr: string;
  labels: Record<string, string>;
}
export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
export interface RuleGroup {
  name: string;
  interval?: string;
  rules: (RecordingRule | AlertingRule)[];
}

/** Go's strconv.FormatFloat(f, 'f', -1, 64): shortest round-trip digits, never an exponent. */
export function formatFloat(n: number): string {
  const s = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, lead, frac = '', expStr] = m;
  const digits = `${lead}${frac}`;
  const exp = Number(expStr);
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  return `${sign}${digits.padEnd(exp + 1, '0')}`;
}

function sorted(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function selector(slo: SloModel): string {
  return `{sloth_id="${slo.id}", sloth_service="${slo.service}", sloth_slo="${slo.name}"}`;
}

function slothLabels(slo: SloModel): Record<string, string> {
  return { sloth_id: slo.id, sloth_service: slo.service, sloth_slo: slo.name };
}

function sliExpr(slo: SloModel, window: string): string {
  if (slo.sli.kind === 'events') {
    const err = renderWindow(slo.sli.errorQuery, window).trimEnd();
    const total = renderWindow(slo.sli.totalQuery, window).trimEnd();
    return `(${err})\n/\n(${total})\n`;
  }
  return `(${renderWindow(slo.sli.errorRatioQuery, window).trimEnd()})\n`;
}

/** The SLI recordings: the short windows at the SLO's interval, the long ones once a minute. */
function sliGroups(slo: SloModel): RuleGroup[] {
  const long = new Set<string>(LONG_SLI_WINDOWS);
  const record = (w: string): RecordingRule => ({
    record: `slo:sli_error:ratio_rate${w}`,
    expr: sliExpr(slo, w),
    labels: sorted({ ...slo.labels, ...slothLabels(slo), sloth_window: w }),
  });
  const windows = [...SHORT_WINDOWS, ...SLI_WINDOWS];
  // The period SLI averages the 5m ratio instead of re-querying 30 days of raw series (cheap).
  const base = `slo:sli_error:ratio_rate5m${selector(slo)}`;
  const period: RecordingRule = {
    record: `slo:sli_error:ratio_rate${PERIOD_WINDOW}`,
    expr:
      `sum_over_time(${base}[${PERIOD_WINDOW}])\n` +
      `/ ignoring (sloth_window)\n` +
      `count_over_time(${base}[${PERIOD_WINDOW}])\n`,
    // Sloth sets only sloth_window here (the rest come from the 5m series); setting all labels
    // yields the same series and keeps `promtool check rules` from flagging duplicate rules.
    labels: sorted({ ...slo.labels, ...slothLabels(slo), sloth_window: PERIOD_WINDOW }),
  };
  const own = slo.interval.slierror;
  const longInterval =
    own && durationSeconds(own) > durationSeconds(LONG_WINDOWS_INTERVAL)
      ? own
      : LONG_WINDOWS_INTERVAL;
  return [
    withInterval(
      {
        name: `${SLI_GROUP_PREFIX}${slo.id}`,
        rules: windows.filter((w) => !long.has(w)).map(record),
      },
      own,
    ),
    {
      name: `${LONG_SLI_GROUP_PREFIX}${slo.id}`,
      interval: longInterval,
      rules: [...windows.filter((w) => long.has(w)).map(record), period],
    },
  ];
}

function metaGroup(slo: SloModel): RuleGroup {
  const labels = sorted({ ...slo.labels, ...slothLabels(slo) });
  const objectiveRatio = formatFloat(slo.objective / 100);
  const sel = selector(slo);
  const divideByBudget = (sli: string): string =>
    `${sli}${sel}\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio${sel}\n`;
  const rules: RecordingRule[] = [
    { record: 'slo:objective:ratio', expr: `vector(${objectiveRatio})`, labels },
    { record: 'slo:error_budget:ratio', expr: `vector(1-${objectiveRatio})`, labels },
    { record: 'slo:time_period:days', expr: `vector(${PERIOD_DAYS})`, labels },
    {
      record: 'slo:current_burn_rate:ratio',
      expr: divideByBudget('slo:sli_error:ratio_rate5m'),
      labels,
    },
    {
      record: 'slo:period_burn_rate:ratio',
      expr: divideByBudget(`slo:sli_error:ratio_rate${PERIOD_WINDOW}`),
      labels,
    },
    {
      record: 'slo:period_error_budget_remaining:ratio',
      expr: `1 - slo:period_burn_rate:ratio${sel}`,
      labels,
    },
    {
      record: 'sloth_slo_info',
      expr: 'vector(1)',
      labels: sorted({
        ...labels,
        sloth_mode: 'cli-gen-prom',
        sloth_objective: formatFloat(slo.objective),
        sloth_spec: slo.specVersion ?? 'prometheus/v1',
        sloth_version: GENERATOR_VERSION,
      }),
    },
  ];
  return withInterval(
    { name: `sloth-slo-meta-recordings-${slo.id}`, rules },
    slo.interval.metadata,
  );
}

function burnExpr(
  slo: SloModel,
  policy: (typeof BURN_POLICY)['page'] | (typeof BURN_POLICY)['ticket'],
): string {
  const budget = formatFloat((100 - slo.objective) / 100);
  const sel = selector(slo);
  const cond = (w: string, f: number): string =>
    `(slo:sli_error:ratio_rate${w}${sel} > (${f} * ${budget}))`;
  const pair = (p: { short: string; long: string; factor: number }): string =>
    `(\n    ${cond(p.short, p.factor)}\n    and ignoring (sloth_window)\n    ${cond(p.long, p.factor)}\n)`;
  return `${pair(policy.quick)}\nor ignoring (sloth_window)\n${pair(policy.slow)}\n`;
}

function alertRule(slo: SloModel, severity: 'page' | 'ticket', alert: AlertModel): AlertingRule {
  const rule: AlertingRule = {
    alert: slo.alertName as string,
    expr: burnExpr(slo, BURN_POLICY[severity]),
    labels: sorted({ ...slo.alertLabels, ...alert.labels, sloth_severity: severity }),
    annotations: sorted({
      summary:
        '{{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is over expected.',
      title: `(${severity}) {{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is too fast.`,
      ...slo.alertAnnotations,
      ...alert.annotations,
    }),
  };
  if (alert.for) rule.for = alert.for;
  return rule;
}

function alertGroup(slo: SloModel): RuleGroup | undefined {
  const rules: AlertingRule[] = [];
  if (!slo.page.disable) rules.push(alertRule(slo, 'page', slo.page));
  if (!slo.ticket.disable) rules.push(alertRule(slo, 'ticket', slo.ticket));
  if (rules.length === 0) return undefined;
  return withInterval({ name: `sloth-slo-alerts-${slo.id}`, rules }, slo.interval.alert);
}

function withInterval(group: RuleGroup, interval: string | undefined): RuleGroup {
  return interval ? { name: group.name, interval, rules: group.rules } : group;
}

/** Compiles validated SLOs into Prometheus rule groups. Pure: same input, same output. */
export function compileSlos(slos: SloModel[]): RuleGroup[] {
  const groups: RuleGroup[] = [];
  for (const slo of slos) {
    groups.push(...sliGroups(slo), metaGroup(slo));
    const alerts = alertGroup(slo);
    if (alerts) groups.push(alerts);
  }
  // Belt and braces: a generator bug must never produce a rule file Prometheus rejects.
  for (const g of groups) {
    for (const r of g.rules) {
      const err = promqlSyntaxError(r.expr);
      if (err) throw new Error(`internal: generated rule in ${g.name} does not parse: ${err}`);
    }
  }
  return groups;
}
