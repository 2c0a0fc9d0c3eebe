import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SLO_ROOT } from '@dhakacart/slo';
import {
  fakeScrapeJobs,
  startFakeApi,
  type FakeApi,
  freePort,
  httpOk,
  startProcess,
  waitFor,
  type RunningProcess,
} from '@dhakacart/slo/src/testing';
import type { OpsStatus } from '../domain/ops-status';
import { userClient } from '../test-support/fixtures';
import { startStack, type TestStack } from '../test-support/stack';
import { INSTANT_QUERIES, RANGE_QUERIES } from './queries';
import { prometheusClient } from './prometheus';

// The board end to end: a real Prometheus (Debian's package) with the committed SLO and
// infrastructure rules, scraping a stand-in for the API's and the lab edge's metrics every
// second (the same fake the error-budget gate's test uses) and itself; the real API asks it through
// PROMETHEUS_URL. Nothing is mocked between the route and Prometheus.

const SLO_DIR = SLO_ROOT;
const RULES = [
  path.join(SLO_DIR, 'generated/slo-rules.yaml'),
  path.join(SLO_DIR, 'rules/infra-alerts.yaml'),
];
const CHECKOUT = 'dhakacart-checkout-availability';

describe('GET /api/ops/status against a real Prometheus', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-board-'));
  let fake: FakeApi;
  let prom: RunningProcess;
  let promUrl: string;
  let stack: TestStack;

  const board = async (client: Awaited<ReturnType<typeof userClient>>['client']) => {
    const r = await client.get<OpsStatus>('/api/ops/status');
    if (r.status !== 200) throw new Error(`status ${r.status}: ${r.text}`);
    return r.body;
  };

  beforeAll(async () => {
    fake = await startFakeApi();
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    const config = path.join(tmp, 'prometheus.yml');
    fs.writeFileSync(
      config,
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        `rule_files: [${RULES.map((r) => `'${r}'`).join(', ')}]`,
        'scrape_configs:',
        ...fakeScrapeJobs(fake.url),
        '  - job_name: prometheus',
        `    static_configs: [{ targets: ['127.0.0.1:${port}'] }]`,
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
    const client = prometheusClient(promUrl, 2000);
    await waitFor(
      'every SLO recorded with a budget and a 5m burn rate',
      async () => {
        const at = Date.now() / 1000;
        const [budget, burn] = await Promise.all([
          client.query(INSTANT_QUERIES.sloBudgetRemaining, at),
          client.query('slo:current_burn_rate:ratio', at),
        ]);
        return budget.length === 6 && burn.length === 6 ? true : undefined;
      },
      90000,
      500,
    );
    stack = await startStack({
      redis: false,
      env: { PROMETHEUS_URL: promUrl, OPS_CACHE_TTL_SECONDS: '1', PROMETHEUS_TIMEOUT_MS: '2000' },
    });
  }, 240000);

  afterAll(async () => {
    await stack?.stop();
    await prom?.stop();
    await fake?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('every query of the fixed set is valid PromQL for this Prometheus', async () => {
    const client = prometheusClient(promUrl, 5000);
    const at = Date.now() / 1000;
    for (const q of Object.values(INSTANT_QUERIES))
      await expect(client.query(q, at)).resolves.toBeDefined();
    for (const q of Object.values(RANGE_QUERIES))
      await expect(client.queryRange(q, at - 3600, at, 60)).resolves.toBeDefined();
  });

  test('staff see six green SLO tiles and the scraped services from the real rules', async () => {
    const { client } = await userClient(stack.api.url, stack.db, 'staff');
    const b = await board(client);
    expect(b.prometheus).toBe('ok');
    expect(b.slos.map((s) => s.id)).toEqual([
      'dhakacart-browse-availability',
      'dhakacart-browse-latency',
      'dhakacart-cart-availability',
      'dhakacart-checkout-availability',
      'dhakacart-checkout-latency',
      'dhakacart-checkout-success',
    ]);
    for (const s of b.slos) {
      expect(s).toMatchObject({ status: 'green', budgetRemaining: 1, service: 'dhakacart' });
      expect(s.burnRates['5m']).toBe(0);
      expect(s.spark.length).toBeGreaterThan(0);
    }
    const checkout = b.slos.find((s) => s.id === CHECKOUT)!;
    expect(checkout.objective).toBeCloseTo(0.999, 6);
    expect(checkout.sli30d).toBe(1);

    const api = b.services.find((s) => s.name === 'api')!;
    expect(api).toMatchObject({
      replicas: { healthy: 1, targets: 1 },
      errorRatio: { value: 0, status: 'green' },
      status: 'green',
    });
    // The fake answers every request within its 0.1 s bucket.
    expect(api.p95Seconds.value).toBeGreaterThan(0);
    expect(api.p95Seconds.value).toBeLessThanOrEqual(0.1);
    expect(api.spark.rps.at(-1)?.[1]).toBeGreaterThan(0);
    const self = b.services.find((s) => s.name === 'prometheus')!;
    expect(self.memoryBytes).toBeGreaterThan(10e6);
    expect(self.cpuCores).not.toBeNull();
  });

  test('checkout burning its budget turns its tile red and lists the page alert; other SLOs stay green', async () => {
    const { client } = await userClient(stack.api.url, stack.db, 'admin');
    fake.setMode('checkout-failing');
    const b = await waitFor(
      'checkout page alert on the board',
      async () => {
        const s = await board(client);
        const firing = s.alerts.some(
          (a) => a.name === 'CheckoutAvailabilityBudgetBurn' && a.severity === 'page',
        );
        // The alerts list, the SLO recordings and the service's raw 5m error ratio are read a
        // moment apart and each trails the switch by its own scrape and rule intervals (longer
        // on a busy machine): wait for all three.
        const burning = (s.slos.find((t) => t.id === CHECKOUT)?.burnRates['5m'] ?? 0) > 14.4;
        const apiRed = s.services.find((t) => t.name === 'api')?.errorRatio.status === 'red';
        return firing && burning && apiRed ? s : undefined;
      },
      90000,
      1000,
    );
    const checkout = b.slos.find((s) => s.id === CHECKOUT)!;
    expect(checkout.status).toBe('red');
    expect(checkout.reasons).toContain('page alert CheckoutAvailabilityBudgetBurn is firing');
    expect(checkout.burnRates['1h']).toBeGreaterThan(14.4);
    expect(b.slos.find((s) => s.id === 'dhakacart-browse-availability')!.status).toBe('green');
    expect(b.services.find((s) => s.name === 'api')!.errorRatio.status).toBe('red');
    expect(b.overall).toBe('red');
    expect(b.alerts.find((a) => a.name === 'CheckoutAvailabilityBudgetBurn')).toMatchObject({
      target: CHECKOUT,
      runbook: 'docs/runbooks/CheckoutAvailabilityBudgetBurn.md',
    });
  }, 120000);

  test("the edge's own 503s burn browse and colour the api tile although the api counts no error", async () => {
    const { client } = await userClient(stack.api.url, stack.db, 'admin');
    fake.setMode('edge-unavailable');
    const b = await waitFor(
      'browse burning at the edge on the board',
      async () => {
        const s = await board(client);
        const browse = s.slos.find((t) => t.id === 'dhakacart-browse-availability');
        const api = s.services.find((t) => t.name === 'api');
        const burning = (browse?.burnRates['5m'] ?? 0) > 14.4;
        const atEdge = api?.reasons.includes('error ratio is red (at the edge)') ?? false;
        return burning && atEdge ? s : undefined;
      },
      90000,
      1000,
    );
    expect(b.slos.find((s) => s.id === 'dhakacart-browse-availability')!.status).not.toBe('green');
    const api = b.services.find((s) => s.name === 'api')!;
    expect(api.errorRatio.status).toBe('red');
  }, 120000);

  test('once Prometheus stops, the board is 503 prometheus_unreachable', async () => {
    const { client } = await userClient(stack.api.url, stack.db, 'admin');
    await prom.stop();
    const r = await waitFor(
      'a 503 after the cache expired',
      async () => {
        const res = await client.get('/api/ops/status');
        return res.status === 503 ? res : undefined;
      },
      20000,
      500,
    );
    expect(r.body.error.code).toBe('prometheus_unreachable');
    expect(r.headers.get('retry-after')).toBe('5');
  }, 60000);
});
