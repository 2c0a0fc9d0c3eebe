import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeXml, htmlPage, lineChart, type Marker } from '@dhakacart/loadtests';
import type { GamedayResult } from './run';
import { pct } from './slis';

/** The game day's result as JSON (the command's `--json` prints this). */
export function jsonResult(r: GamedayResult, report: string) {
  return {
    id: r.id,
    profile: r.profile,
    passed: r.passed,
    aborted: r.aborted,
    startedAt: r.startedAt,
    durationSeconds: r.durationSeconds,
    experiments: r.experiments.map((x) => ({
      name: x.name,
      passed: x.passed,
      recoverySeconds: x.recoverySeconds,
      recoveryBudgetSeconds: x.recoveryBudgetSeconds,
      budgetBurned: x.budgetBurned,
      budgetBySlo: x.budgetBySlo,
      alerts: x.alerts,
      failures: x.failures,
      invariants: x.invariants,
    })),
    invariants: r.invariants,
    load: r.load && {
      testid: r.load.testid,
      visitors: r.load.visitors,
      requests: r.load.summary.requests,
      failedRate: r.load.summary.failedRate,
      p99Ms: r.load.summary.p99Ms,
    },
    sizing: r.sizing,
    sizingLoads: r.sizingLoads,
    residueRemoved: r.residueRemoved,
    report,
  };
}

/** How the load was sized, in one sentence (ADR 0206, chaos/src/gameday/sizing.ts). */
export function sizingLine(r: GamedayResult): string {
  const s = r.sizing;
  if (!s) return 'Sizing: the visitors were given (--visitors), not sized to the host.';
  return `Sizing: host ${s.cores} cores, ${s.baselineBusyCores} busy with no load and ${s.loadedBusyCores} with ${s.requestedVisitors} visitors (target at most ${s.targetBusyCores}); ${s.visitors} visitors used: ${s.reason}.`;
}

/**
 * The load in one sentence: the one that ran through the experiments, and any the sizing stopped
 * before it (not in its figures or the charts; their orders are in the invariants).
 */
export function loadLine(r: GamedayResult): string {
  if (!r.load) return 'Load: none.';
  const l = r.load.summary;
  const before = r.sizingLoads.map(
    (b) =>
      `${b.visitors} visitors for ${b.seconds} s, ${b.requests} requests, ${pct(b.failedRate)} failed, p99 ${b.p99Ms} ms`,
  );
  return (
    `Load: ${r.load.visitors} visitors, ${l.requests} requests, ${pct(l.failedRate)} failed, p99 ${l.p99Ms} ms.` +
    (before.length
      ? ` Before it, stopped by the sizing (not in these figures or the charts): ${before.join('; ')}.`
      : '')
  );
}

export function markdownReport(r: GamedayResult): string {
  const rows = r.experiments.map(
    (x) =>
      `| ${x.passed ? '✅' : '❌'} | ${x.name} | ${x.recoverySeconds ?? '—'} s / ${x.recoveryBudgetSeconds} s | ${pct(x.budgetBurned)} | ${x.alerts.fired.join(', ') || '—'} | ${x.alerts.unexpected.join(', ') || '—'} | ${x.failures.join('; ') || '—'} |`,
  );
  const inv = r.invariants;
  return [
    `# Game day ${r.id} (${r.profile})`,
    '',
    `**${r.passed ? 'PASSED' : 'FAILED'}**${r.aborted ? ` — aborted: ${r.aborted}` : ''}. Started ${r.startedAt}, ${r.durationSeconds} s.`,
    loadLine(r),
    sizingLine(r),
    inv
      ? `Invariants: lost ${inv.lost}, oversold ${inv.oversold}, duplicates ${inv.duplicates}, conservation ${inv.conservation}, stranded ${inv.stranded}, unresolved ${inv.unresolved} — ${inv.passed ? 'clean' : 'BROKEN'}.`
      : 'Invariants: not checked.',
    '',
    '| | experiment | recovery / budget | budget burned (30 d) | alerts fired | unexpected | failed claims |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    ...r.experiments.flatMap((x) => [
      `## ${x.title} (${x.name})`,
      '',
      `Hypothesis: ${x.hypothesis}`,
      '',
      ...x.notes.map((n) => `- ${n}`),
      '',
    ]),
  ].join('\n');
}

export function htmlReport(r: GamedayResult): string {
  const markers: Marker[] = r.experiments.map((x) => ({ x: x.injectedAt, label: x.name }));
  const t = r.load?.timeline ?? [];
  const startS = Date.parse(r.startedAt) / 1000;
  const colors = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2', '#be185d'];
  const sliSeries = Object.entries(r.slis).map(([slo, values], i) => ({
    name: slo,
    color: colors[i % colors.length]!,
    points: values
      .filter(([, v]) => Number.isFinite(v))
      .map(([ts, v]) => ({ x: ts - startS, y: v * 100 })),
  }));
  const rows = r.experiments
    .map(
      (x) =>
        `<tr><td class="${x.passed ? 'pass' : 'fail'}">${x.passed ? 'pass' : 'FAIL'}</td><td>${escapeXml(x.name)}</td><td>${x.recoverySeconds ?? '—'} / ${x.recoveryBudgetSeconds} s</td><td>${pct(x.budgetBurned)}</td><td>${escapeXml(x.alerts.fired.join(', ') || '—')}</td><td>${escapeXml(x.alerts.unexpected.join(', ') || '—')}</td><td>${escapeXml(x.failures.join('; ') || '—')}</td></tr>`,
    )
    .join('');
  const inv = r.invariants;
  const body = `<h1>Game day ${escapeXml(r.id)} <small>(${r.profile})</small></h1>
<p class="${r.passed ? 'pass' : 'fail'}">${r.passed ? 'Every hypothesis held and the data is clean.' : 'At least one hypothesis or invariant failed.'}${r.aborted ? ` Aborted: ${escapeXml(r.aborted)}` : ''}</p>
<p>Started ${escapeXml(r.startedAt)}, ${r.durationSeconds} s. ${escapeXml(loadLine(r))}
${escapeXml(sizingLine(r))}
${inv ? `Invariants: lost ${inv.lost}, oversold ${inv.oversold}, duplicates ${inv.duplicates}, conservation ${inv.conservation}, stranded ${inv.stranded}, unresolved ${inv.unresolved}.` : ''}</p>
${lineChart({ title: 'Throughput', unit: 'requests per second', series: [{ name: 'requests/s', color: '#2563eb', points: t.map((p) => ({ x: p.t, y: p.rps })) }], markers })}
${lineChart({
  title: 'Latency',
  unit: 'ms',
  series: [
    { name: 'p99', color: '#7c3aed', points: t.map((p) => ({ x: p.t, y: p.p99Ms })) },
    { name: 'p50', color: '#10b981', points: t.map((p) => ({ x: p.t, y: p.p50Ms })) },
  ],
  markers,
})}
${lineChart({ title: 'Errors seen by the load', unit: '5xx or no answer per 5 s', series: [{ name: 'errors', color: '#dc2626', points: t.map((p) => ({ x: p.t, y: p.errors })) }], markers })}
${lineChart({ title: 'SLIs over 30 s windows', unit: '% of requests bad', series: sliSeries, markers, height: 260 })}
<h2>Experiments</h2>
<table><tr><th></th><th>experiment</th><th>recovery / budget</th><th>budget burned (30 d)</th><th>alerts fired</th><th>unexpected</th><th>failed claims</th></tr>${rows}</table>
${r.experiments.map((x) => `<h2>${escapeXml(x.title)}</h2><p><b>Hypothesis.</b> ${escapeXml(x.hypothesis)}</p><ul>${x.notes.map((n) => `<li>${escapeXml(n)}</li>`).join('')}</ul>`).join('\n')}
<p>How to read this report: docs/chaos/game-day.md.</p>`;
  return htmlPage(`Game day ${r.id}`, body);
}

export function writeGamedayReports(dir: string, r: GamedayResult) {
  mkdirSync(dir, { recursive: true });
  const files = {
    html: join(dir, 'report.html'),
    md: join(dir, 'report.md'),
    json: join(dir, 'report.json'),
  };
  writeFileSync(files.html, htmlReport(r));
  writeFileSync(files.md, markdownReport(r) + '\n');
  writeFileSync(files.json, JSON.stringify(jsonResult(r, files.html), null, 2) + '\n');
  return files;
}
