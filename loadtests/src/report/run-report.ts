import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../run/runner';
import { escapeXml, htmlPage, lineChart } from './svg-chart';

/** The one-screen text summary of a run. */
export function textSummary(r: RunResult, invariants?: { passed: boolean; line: string }): string {
  const s = r.summary;
  const rows = Object.entries(s.journeys).map(([sli, j]) => {
    const limit = [
      j.threshold?.latency
        ? `p${j.threshold.latency.percentile} ≤ ${j.threshold.latency.maxMs} ms`
        : '',
      j.threshold?.maxErrorRate !== undefined
        ? `errors ≤ ${(j.threshold.maxErrorRate * 100).toFixed(2)}%`
        : '',
    ]
      .filter(Boolean)
      .join(', ');
    return `  ${j.passed ? 'ok  ' : 'FAIL'} ${sli.padEnd(9)} ${String(j.requests).padStart(8)} req  ${String(j.requestsPerSecond).padStart(7)}/s  p50 ${String(j.p50Ms).padStart(6)} ms  p99 ${String(j.p99Ms).padStart(7)} ms  errors ${String(j.errors).padStart(5)} (${(j.errorRate * 100).toFixed(3)}%)  4xx ${j.client4xx}  ${limit ? `[${limit}]` : ''}${j.breaches.length ? `  ${j.breaches.join('; ')}` : ''}`;
  });
  return [
    `load test ${r.testid}: scenario ${r.scenario}, ${r.visitors} visitors, ${r.seconds} s${r.aborted ? ' (stopped early)' : ''}`,
    `  ${s.requests} requests, ${s.requestsPerSecond} req/s, p99 ${s.p99Ms} ms, failed ${(s.failedRate * 100).toFixed(3)}%  →  thresholds ${s.thresholdsPassed ? 'PASSED' : 'FAILED'}`,
    ...rows,
    ...(invariants ? [`  ${invariants.line}`] : []),
    `  generators' CPU ${r.generatorCpuSeconds} s; series ${r.pushed ? 'pushed to the Pushgateway' : 'not pushed'}`,
  ].join('\n');
}

export function htmlReport(r: RunResult, invariants?: { passed: boolean; line: string }): string {
  const t = r.timeline;
  const p99Limit = r.summary.journeys.browse?.threshold?.latency?.maxMs;
  const rows = Object.entries(r.summary.journeys)
    .map(
      ([sli, j]) =>
        `<tr><td>${escapeXml(sli)}</td><td>${j.requests}</td><td>${j.requestsPerSecond}</td><td>${j.p50Ms}</td><td>${j.p95Ms}</td><td>${j.p99Ms}</td><td>${j.errors} (${(j.errorRate * 100).toFixed(3)}%)</td><td>${j.client4xx}</td><td class="${j.passed ? 'pass' : 'fail'}">${j.passed ? 'pass' : escapeXml(j.breaches.join('; '))}</td></tr>`,
    )
    .join('');
  const body = `<h1>Load test ${escapeXml(r.testid)}</h1>
<p>Scenario <code>${escapeXml(r.scenario)}</code>, ${r.visitors} concurrent visitors, ${r.seconds} s, started ${escapeXml(r.startedAt)}.
Thresholds (from <code>slo/specs</code>): <span class="${r.summary.thresholdsPassed ? 'pass' : 'fail'}">${r.summary.thresholdsPassed ? 'passed' : 'failed'}</span>.
${invariants ? `Invariants: <span class="${invariants.passed ? 'pass' : 'fail'}">${escapeXml(invariants.line)}</span>.` : ''}</p>
${lineChart({ title: 'Throughput', unit: 'requests per second', series: [{ name: 'requests/s', color: '#2563eb', points: t.map((p) => ({ x: p.t, y: p.rps })) }] })}
${lineChart({
  title: 'Latency',
  unit: 'ms',
  series: [
    { name: 'p50', color: '#10b981', points: t.map((p) => ({ x: p.t, y: p.p50Ms })) },
    { name: 'p99', color: '#7c3aed', points: t.map((p) => ({ x: p.t, y: p.p99Ms })) },
  ],
  limit: p99Limit ? { y: p99Limit, label: `browse objective ${p99Limit} ms` } : undefined,
})}
${lineChart({ title: 'Errors', unit: '5xx or no answer, per 5 s', series: [{ name: 'errors', color: '#dc2626', points: t.map((p) => ({ x: p.t, y: p.errors })) }] })}
<h2>By SLO journey</h2>
<table><tr><th>journey</th><th>requests</th><th>req/s</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>errors</th><th>other 4xx</th><th>threshold</th></tr>${rows}</table>
<p>Generators: ${r.generators.vegeta ? 'Vegeta (anonymous browsing, open model)' : ''}${r.generators.vegeta && r.generators.artillery ? ' and ' : ''}${r.generators.artillery ? 'Artillery (journeys)' : ''}; their CPU: ${r.generatorCpuSeconds} s. The clients' history of acknowledged orders: <code>${escapeXml(r.history)}</code>.</p>`;
  return htmlPage(`Load test ${r.testid}`, body);
}

/** Writes summary.json, summary.txt and report.html next to each other; returns their paths. */
export function writeRunReports(
  dir: string,
  r: RunResult,
  invariants?: { passed: boolean; line: string; report?: unknown },
): { json: string; text: string; html: string } {
  const files = {
    json: join(dir, 'summary.json'),
    text: join(dir, 'summary.txt'),
    html: join(dir, 'report.html'),
  };
  writeFileSync(files.json, JSON.stringify({ ...r, invariants }, null, 2) + '\n');
  writeFileSync(files.text, textSummary(r, invariants) + '\n');
  writeFileSync(files.html, htmlReport(r, invariants));
  return files;
}
