import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { push, type PushSample } from '@dhakacart/lab-client';
import {
  freePort,
  httpOk,
  startProcess,
  waitFor,
  type RunningProcess,
} from '@dhakacart/slo/src/testing';
import { VictoriaLogsClient } from '../log-store/client';
import { F } from '../log-store/fields';
import { loadRunTile } from '../domain/ops-load-run';
import type { OpsStatus } from '../domain/ops-status';
import { opsStatus } from '../http/contract/responses';
import {
  startPushgateway,
  startVictoriaLogs,
  type StartedHttpService,
} from '../test-support/containers';
import { userClient } from '../test-support/fixtures';
import { startStack, type TestStack } from '../test-support/stack';
import { prometheusClient } from './prometheus';
import { PUSHED_QUERIES } from './pushed';
import { prometheusOpsSource } from './queries';

// The board's load-run, game-day and log tiles end to end: the project's Pushgateway image
// scraped every second by a real Prometheus (Debian's package) with the lab's job settings
// (honor_labels), the project's VictoriaLogs image as the log store, and the real API asking
// both through PROMETHEUS_URL and LOGS_URL. Results reach the Pushgateway through the same
// push() the load runner and the game day use. Nothing is mocked between the route and them.

const STACK = 'boardtest';

describe('the load-run, game-day and log tiles against a real Pushgateway and VictoriaLogs', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-pushed-'));
  let gateway: StartedHttpService;
  let store: StartedHttpService;
  let prom: RunningProcess;
  let promUrl: string;
  let stack: TestStack;
  let staff: Awaited<ReturnType<typeof userClient>>['client'];

  const board = async (): Promise<OpsStatus> => {
    const r = await staff.get<OpsStatus>('/api/ops/status');
    if (r.status !== 200) throw new Error(`status ${r.status}: ${r.text}`);
    // The answer is what the contract (and so the storefront's types) promises.
    return opsStatus.parse(r.body) as OpsStatus;
  };
  /** Polls the board until `ready` picks something from it, for at most 30 s. */
  const boardWhen = <T>(what: string, ready: (b: OpsStatus) => T | undefined) =>
    waitFor(what, async () => ready(await board()), 30_000, 500);

  beforeAll(async () => {
    [gateway, store] = await Promise.all([startPushgateway(), startVictoriaLogs()]);
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    const config = path.join(tmp, 'prometheus.yml');
    fs.writeFileSync(
      config,
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        'scrape_configs:',
        // As infra/lab/monitoring/prometheus.yml scrapes it.
        '  - job_name: pushgateway',
        '    honor_labels: true',
        `    static_configs: [{ targets: ['${new URL(gateway.url).host}'] }]`,
        '',
      ].join('\n'),
    );
    prom = startProcess('prometheus', [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(tmp, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ]);
    await waitFor('prometheus ready', () => httpOk(`${promUrl}/-/ready`), 60_000).catch(
      (e: Error) => {
        throw new Error(`${e.message}\n${prom.output()}`);
      },
    );
    stack = await startStack({
      redis: false,
      env: {
        PROMETHEUS_URL: promUrl,
        OPS_CACHE_TTL_SECONDS: '1',
        PROMETHEUS_TIMEOUT_MS: '2000',
        LOGS_URL: store.url,
        LOGS_STACK: STACK,
        LOGS_TIMEOUT_MS: '2000',
      },
    });
    staff = (await userClient(stack.api.url, stack.db, 'staff')).client;
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    await prom?.stop();
    // The last test stops both already.
    await Promise.all([gateway, store].map((c) => c?.container.stop().catch(() => undefined)));
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('with nothing pushed and no error line, the run tiles are unknown and say why; the log tile is green', async () => {
    const b = await board();
    expect(b.loadRun).toMatchObject({
      status: 'unknown',
      reasons: ['no load run recorded (no dhakacart_load_* series from the Pushgateway)'],
    });
    expect(b.gameday).toMatchObject({
      status: 'unknown',
      reasons: ['no game day recorded (no dhakacart_gameday_* series from the Pushgateway)'],
    });
    expect(b.logs).toMatchObject({ status: 'green', services: [], topErrors: [] });
    expect(b.overall).toBe('green');
  });

  test('every query of the pushed set is valid PromQL for this Prometheus', async () => {
    const client = prometheusClient(promUrl, 5000);
    const at = Date.now() / 1000;
    for (const q of [PUSHED_QUERIES.loadRuns, PUSHED_QUERIES.loadRunStarts, PUSHED_QUERIES.gameday])
      await expect(client.query(q, at)).resolves.toEqual([]);
    for (const q of [PUSHED_QUERIES.loadRps, PUSHED_QUERIES.loadP99])
      await expect(client.queryRange(q, at - 600, at, 5)).resolves.toEqual([]);
  });

  /** What loadtests/src/run/runner.ts pushes every 5 s. */
  const loadSamples = (
    rps: number,
    p99: number,
    journeys: Record<string, [number, number]>,
  ): PushSample[] => [
    { name: 'dhakacart_load_visitors', help: 'v', type: 'gauge', labels: {}, value: 150 },
    {
      name: 'dhakacart_load_requests_per_second',
      help: 'r',
      type: 'gauge',
      labels: {},
      value: rps,
    },
    { name: 'dhakacart_load_p99_seconds', help: 'p', type: 'gauge', labels: {}, value: p99 },
    ...Object.entries(journeys).flatMap(([sli, [requests, errors]]): PushSample[] => [
      {
        name: 'dhakacart_load_requests_total',
        help: 'q',
        type: 'counter',
        labels: { sli },
        value: requests,
      },
      {
        name: 'dhakacart_load_errors_total',
        help: 'e',
        type: 'counter',
        labels: { sli },
        value: errors,
      },
    ]),
  ];
  const pushRun = (testid: string, samples: PushSample[]) =>
    push(gateway.url, 'loadtest', { testid }, samples);

  test('the newest run shows live figures, its own sparklines and turns red over the error threshold; then it ends', async () => {
    // An earlier run that ended: the Pushgateway keeps its group with its last values.
    await pushRun('smoke-old', loadSamples(999, 2.5, { browse: [100, 50] }));
    await new Promise((r) => setTimeout(r, 1500));
    const started = Date.now() / 1000;
    // The new run: eleven pushes a little over a second apart, throughput climbing; checkout
    // fails 0.5% of its requests (the threshold is 0.1%).
    for (let i = 1; i <= 11; i++) {
      await pushRun(
        'gameday-run',
        loadSamples(10 * i, 0.06 * i, { browse: [1000 * i, 0], checkout: [200 * i, i] }),
      );
      await new Promise((r) => setTimeout(r, 1100));
    }
    const b = await boardWhen('the last push of the new run on the board', (s) =>
      s.loadRun.testid === 'gameday-run' && s.loadRun.requestsPerSecond === 110 ? s : undefined,
    );
    const t = b.loadRun;
    expect(t).toMatchObject({
      status: 'red',
      reasons: ['checkout errors 0.50% > 0.10%', 'p99 660 ms > 300 ms'],
      running: true,
      visitors: 150,
      requests: 13200,
      errors: 11,
      p99Seconds: { status: 'yellow' },
    });
    expect(t.p99Seconds.value).toBeCloseTo(0.66, 6);
    expect(t.journeys.map((j) => [j.sli, j.requests, j.errors, j.errorRatio.status])).toEqual([
      ['browse', 11000, 0, 'green'],
      ['checkout', 2200, 11, 'red'],
    ]);
    expect(Date.parse(t.startedAt!) / 1000).toBeGreaterThanOrEqual(Math.floor(started));
    expect(Date.parse(t.lastPushAt!)).toBeGreaterThan(Date.parse(t.startedAt!));
    // The sparklines are this run's (the old run's 999 req/s never shows), oldest first.
    // At the 5 s floor of the step, 13 s of run gives two or three points.
    expect(t.spark.rps.length).toBeGreaterThanOrEqual(2);
    const rps = t.spark.rps.map(([, v]) => v);
    for (const v of rps) expect(v % 10 === 0 && v >= 10 && v <= 110).toBe(true);
    expect([...rps].sort((a, b) => a - b)).toEqual(rps);
    expect(t.spark.p99.length).toBe(t.spark.rps.length);
    expect(t.spark.p99.every(([, v]) => v <= 0.66 + 1e-9)).toBe(true);
    // A past test does not colour the badge: the board knows nothing else here.
    expect(b.overall).toBe('green');

    // Once the runner stops pushing, the same series read half a minute on say it ended.
    const lastPush = Date.parse(t.lastPushAt!) / 1000;
    const later = lastPush + 31;
    const o = await prometheusOpsSource(prometheusClient(promUrl, 5000)).read(later);
    const ended = loadRunTile(o.loadRun, later);
    expect(ended).toMatchObject({ testid: 'gameday-run', running: false, status: 'red' });
    expect(ended.lastPushAt).toBe(t.lastPushAt);
  }, 60_000);

  /** What chaos/src/gameday/run.ts publish() pushes at the end of a game day. */
  const gameday = (passed: boolean, experiments: [string, boolean, number, number][]) =>
    push(gateway.url, 'gameday', {}, [
      {
        name: 'dhakacart_gameday_last_run_timestamp_seconds',
        help: 'l',
        type: 'gauge',
        labels: {},
        value: Date.now() / 1000,
      },
      {
        name: 'dhakacart_gameday_passed',
        help: 'p',
        type: 'gauge',
        labels: { profile: 'quick' },
        value: passed ? 1 : 0,
      },
      ...experiments.flatMap(([experiment, ok, burned, recovery]): PushSample[] => [
        {
          name: 'dhakacart_gameday_experiment_passed',
          help: 'x',
          type: 'gauge',
          labels: { experiment },
          value: ok ? 1 : 0,
        },
        {
          name: 'dhakacart_gameday_experiment_budget_burned_ratio',
          help: 'b',
          type: 'gauge',
          labels: { experiment },
          value: burned,
        },
        {
          name: 'dhakacart_gameday_experiment_recovery_seconds',
          help: 'r',
          type: 'gauge',
          labels: { experiment },
          value: recovery,
        },
      ]),
    ]);

  test('a failed game day is red with the burn per experiment; the next, passing, run replaces it', async () => {
    await gameday(false, [
      ['api-kill', true, 0.002, 25],
      ['zone-loss', false, 0.04, NaN],
    ]);
    const failed = await boardWhen('the failed game day on the board', (s) =>
      s.gameday.passed === false ? s.gameday : undefined,
    );
    expect(failed).toMatchObject({
      status: 'red',
      profile: 'quick',
      reasons: ['the last game day failed: 1 of 2 experiments (zone-loss)'],
      experiments: [
        {
          name: 'api-kill',
          passed: true,
          status: 'green',
          budgetBurned: 0.002,
          recoverySeconds: 25,
        },
        {
          name: 'zone-loss',
          passed: false,
          status: 'red',
          budgetBurned: 0.04,
          recoverySeconds: null,
        },
      ],
    });
    expect(failed.budgetBurned).toBeCloseTo(0.042, 9);
    expect(Math.abs(Date.parse(failed.lastRunAt!) - Date.now())).toBeLessThan(60_000);

    await gameday(true, [['redis-kill', true, 0.0005, 9]]);
    const passed = await boardWhen('the passing game day on the board', (s) =>
      s.gameday.passed === true ? s.gameday : undefined,
    );
    expect(passed).toMatchObject({ status: 'green', reasons: [] });
    expect(passed.experiments.map((x) => x.name)).toEqual(['redis-kill']);
  }, 60_000);

  test("the log tile counts this stack's error lines per minute per service, with the top messages", async () => {
    const logs = new VictoriaLogsClient({ baseUrl: store.url, timeoutMs: 5000 });
    // Late in a minute, wait for the next one: the lines must still be in the newest full minute
    // when the board reads them (a few seconds later).
    const second = (Date.now() / 1000) % 60;
    if (second > 45) await new Promise((r) => setTimeout(r, (61 - second) * 1000));
    // The newest full minute, as the tile counts it (the current one is still filling up).
    const lastFull = Math.floor(Date.now() / 60_000) * 60 - 60;
    const line = (service: string, second: number, msg: string, level: number) => ({
      _time: new Date((lastFull + second) * 1000).toISOString(),
      _msg: msg,
      [F.stack]: STACK,
      [F.service]: `${STACK}_${service}`,
      [F.level]: level,
    });
    await logs.insertJsonLines(
      [
        ...Array.from({ length: 3 }, (_, i) =>
          line('api', i + 1, 'payment provider timed out', 50),
        ),
        line('api', 10, 'request', 30),
      ],
      { streamFields: [F.stack, F.service] },
    );
    const b = await boardWhen('the error lines on the board', (s) =>
      s.logs.services.length > 0 ? s : undefined,
    );
    const tile = b.logs;
    expect(tile.services.map((x) => [x.service, x.lastMinute, x.status])).toEqual([
      ['api', 3, 'yellow'],
    ]);
    const spark = tile.services[0]!.spark;
    expect(spark).toHaveLength(30);
    expect(spark.at(-1)).toEqual([lastFull, 3]);
    expect(spark.slice(0, -1).every(([, n]) => n === 0)).toBe(true);
    expect(tile.topErrors).toEqual([
      { service: 'api', message: 'payment provider timed out', count: 3 },
    ]);
    expect(tile).toMatchObject({
      status: 'yellow',
      reasons: ['3 error line(s) in the last full minute (api)'],
      windowMinutes: 30,
    });
    // Error lines now colour the badge (a pushed test result does not).
    expect(b.overall).toBe('yellow');
  }, 60_000);

  test('with the Pushgateway and the log store gone, the tiles are unknown with a reason and the board still answers', async () => {
    await Promise.all([gateway.container.stop(), store.container.stop()]);
    const b = await boardWhen('both tiles unknown', (s) =>
      s.loadRun.status === 'unknown' && s.logs.status === 'unknown' ? s : undefined,
    );
    expect(b.loadRun.reasons).toEqual([
      'no load run recorded (no dhakacart_load_* series from the Pushgateway)',
    ]);
    expect(b.gameday.status).toBe('unknown');
    expect(b.logs.reasons[0]).toMatch(/^the log store at http:\/\/\S+ is not answering \(.+\)$/);
    expect(b.prometheus).toBe('ok');
  }, 60_000);
});
