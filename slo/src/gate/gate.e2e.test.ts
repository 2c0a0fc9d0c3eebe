import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GENERATED_RULES, SLO_ROOT } from '../rules/rule-files';
import { fakeScrapeJobs, startFakeApi, type FakeApi } from '../testing/fake-api-metrics';
import { freePort, httpOk, startProcess, waitFor, type RunningProcess } from '../testing/processes';
import { buildDashboards } from '../../dashboards/src/generate';
import { concretePromql, panelsOf } from '../../dashboards/src/targets';
import { instantQuery } from './prometheus';
import type { GateDecision } from './decide';

// The committed rules in a real Prometheus (Debian's package) scraping a fake API and a fake
// edge in front of it every second, judged by the real CLI. The lab's test against its own Prometheus is still to be wired.

interface GateRun {
  code: number;
  decision: GateDecision;
  stderr: string;
}

function runGate(args: string[]): Promise<GateRun> {
  return new Promise((resolve) => {
    execFile(
      path.join(SLO_ROOT, '../node_modules/.bin/tsx'),
      [path.join(SLO_ROOT, 'src/cli.ts'), 'gate', '--json', ...args],
      { timeout: 60000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, decision: JSON.parse(stdout) as GateDecision, stderr });
      },
    );
  });
}

describe('gate against a real Prometheus', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slo-gate-e2e-'));
  let api: FakeApi;
  let prom: RunningProcess;
  let promUrl: string;

  beforeAll(async () => {
    api = await startFakeApi();
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    const config = path.join(tmp, 'prometheus.yml');
    fs.writeFileSync(
      config,
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        `rule_files: ['${GENERATED_RULES}']`,
        'scrape_configs:',
        ...fakeScrapeJobs(api.url),
        '',
      ].join('\n'),
    );
    prom = startProcess('prometheus', [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(tmp, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ]);
    await waitFor('prometheus ready', () => httpOk(`${promUrl}/-/ready`), 60000).catch(
      (e: Error) => {
        throw new Error(`${e.message}\n${prom.output()}`);
      },
    );
    // Wait until every SLO has a remaining budget and a 1h ratio from real rule evaluations.
    // The budget follows the 30d window, in the long group evaluated once a minute, and
    // Prometheus starts a group at an offset of up to one interval: allow two and a half.
    await waitFor(
      'SLO recordings',
      async () => {
        const [remaining, release] = await Promise.all([
          instantQuery(promUrl, 'slo:period_error_budget_remaining:ratio >= -Inf', 2000),
          instantQuery(promUrl, 'slo:sli_error:ratio_rate1h >= -Inf', 2000),
        ]);
        return remaining.length === 6 && release.length === 6 ? true : undefined;
      },
      150000,
      500,
    );
  }, 240000);

  afterAll(async () => {
    await prom?.stop();
    await api?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('passes while every SLO is healthy', async () => {
    const run = await runGate(['--prometheus', promUrl]);
    expect(run.decision.slos.map((s) => [s.id, s.verdict])).toEqual([
      ['dhakacart-browse-availability', 'pass'],
      ['dhakacart-browse-latency', 'pass'],
      ['dhakacart-cart-availability', 'pass'],
      ['dhakacart-checkout-availability', 'pass'],
      ['dhakacart-checkout-latency', 'pass'],
      ['dhakacart-checkout-success', 'pass'],
    ]);
    expect(run.decision.slos.every((s) => s.budgetRemaining === 1 && s.releaseBurn === 0)).toBe(
      true,
    );
    expect(run.decision.verdict).toBe('pass');
    expect(run.code).toBe(0);
  }, 60000);

  it('answers every SLO dashboard query from the generated rules', async () => {
    const exprs = panelsOf(buildDashboards()['slo.json']!).flatMap((p) => p.exprs);
    expect(exprs.length).toBeGreaterThan(30);
    const empty: string[] = [];
    for (const e of exprs) {
      if ((await instantQuery(promUrl, concretePromql(e), 5000)).length === 0) empty.push(e);
    }
    expect(empty).toEqual([]);
  }, 60000);

  it('breaches when checkout burns its budget and its page alert fires', async () => {
    api.setMode('checkout-failing');
    await waitFor(
      'checkout page alert firing',
      async () => {
        const firing = await instantQuery(
          promUrl,
          'ALERTS{alertstate="firing",alertname="CheckoutAvailabilityBudgetBurn",sloth_severity="page"}',
          2000,
        );
        return firing.length > 0 ? true : undefined;
      },
      60000,
      500,
    );
    const run = await runGate(['--prometheus', promUrl]);
    expect(run.code).toBe(1);
    expect(run.decision.verdict).toBe('breach');
    const checkout = run.decision.slos.find((s) => s.id === 'dhakacart-checkout-availability');
    expect(checkout?.verdict).toBe('breach');
    expect(checkout?.reasons.join('\n')).toContain(
      'page alert CheckoutAvailabilityBudgetBurn is firing',
    );
    expect(checkout?.reasons.join('\n')).toMatch(/burn rate over 1h \d+\.\d+x > 2x/);
    // Browse is untouched by the checkout failure; a gate scoped to it still passes.
    const browse = await runGate([
      '--prometheus',
      promUrl,
      '--slo',
      'dhakacart-browse-availability',
    ]);
    expect(browse.decision.slos.map((s) => [s.id, s.verdict])).toEqual([
      ['dhakacart-browse-availability', 'pass'],
    ]);
    expect(browse.code).toBe(0);
  }, 90000);

  it("breaches browse on the edge's own 503s while the api records no error at all", async () => {
    api.setMode('edge-unavailable');
    await waitFor(
      'browse page alert firing',
      async () => {
        const firing = await instantQuery(
          promUrl,
          'ALERTS{alertstate="firing",alertname="BrowseAvailabilityBudgetBurn",sloth_severity="page"}',
          2000,
        );
        return firing.length > 0 ? true : undefined;
      },
      60000,
      500,
    );
    const apiErrors = await instantQuery(
      promUrl,
      'sum(increase(http_requests_total{job="api",route=~"/api/products.*",status=~"5.."}[10m])) or vector(0)',
      2000,
    );
    expect(apiErrors.map((s) => s.value[1])).toEqual(['0']);
    const run = await runGate(['--prometheus', promUrl, '--slo', 'dhakacart-browse-availability']);
    expect(run.code).toBe(1);
    expect(run.decision.slos[0]?.verdict).toBe('breach');
    expect(run.decision.slos[0]?.reasons.join('\n')).toContain(
      'page alert BrowseAvailabilityBudgetBurn is firing',
    );
  }, 90000);

  it('is undecidable for an SLO Prometheus does not know', async () => {
    const run = await runGate(['--prometheus', promUrl, '--slo', 'dhakacart-nope']);
    expect(run.code).toBe(2);
    expect(run.decision.reasons).toEqual(['SLO "dhakacart-nope" not found in Prometheus']);
  }, 60000);

  it('is undecidable once Prometheus is unreachable', async () => {
    await prom.stop();
    const run = await runGate(['--prometheus', promUrl, '--timeout-ms', '2000']);
    expect(run.code).toBe(2);
    expect(run.decision.verdict).toBe('undecidable');
    expect(run.decision.reasons[0]).toMatch(/^Prometheus unreachable: /);
  }, 60000);
});
