import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokenInvariants } from '@dhakacart/api/src/data/invariants';
import { freePort } from '@dhakacart/api/src/test-support/containers';
import { PASSWORD, userClient } from '@dhakacart/api/src/test-support/fixtures';
import { ORIGIN, startStack, type TestStack } from '@dhakacart/api/src/test-support/stack';
import { REPO_ROOT } from '../tools';
import { runFuzz, type FuzzReport } from './run-fuzz';

// The fuzzer against the real API: PostgreSQL and Redis in containers (the project's images),
// the API in this process, and a real Prometheus (Debian's package) for the ops board, so that
// every operation can answer 2xx. About two minutes. The CLI (`npm run fuzz -w
// @dhakacart/security`) points the same runner at the lab's edge, with --no-probes.
const BUDGET_SECONDS = 90;
const tmp = mkdtempSync(join(tmpdir(), 'fuzz-api-'));
let prometheus: ChildProcess;
let stack: TestStack;
let report: FuzzReport;

async function startPrometheus(): Promise<string> {
  const port = await freePort();
  writeFileSync(
    join(tmp, 'prometheus.yml'),
    `global: { scrape_interval: 2s }\nscrape_configs:\n  - job_name: prometheus\n    static_configs: [{ targets: ['127.0.0.1:${port}'] }]\n`,
  );
  prometheus = spawn(
    'prometheus',
    [
      `--config.file=${join(tmp, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(tmp, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 120; i++) {
    if ((await fetch(`${url}/-/ready`).catch(() => null))?.ok) return url;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('prometheus did not become ready in 30 s');
}

beforeAll(async () => {
  const promUrl = await startPrometheus();
  stack = await startStack({ env: { PROMETHEUS_URL: promUrl } });
  const { email } = await userClient(stack.api.url, stack.db, 'admin');
  report = await runFuzz({
    baseUrl: stack.api.url,
    origin: ORIGIN,
    budgetSeconds: BUDGET_SECONDS,
    maxExamples: 20,
    admin: { email, password: PASSWORD },
    reportPath: join(REPO_ROOT, 'test-artifacts', 'security', 'fuzz-api-local.json'),
  });
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  prometheus?.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
});

test('every operation is fuzzed: no 5xx, no stack trace, every answer as documented', () => {
  const findings = report.runs.flatMap((r) =>
    // The seed in each finding: \`npm run fuzz -w @dhakacart/security -- --seed N\` repeats it.
    r.examples.map((e) => `seed ${report.seed}: ${r.name}: ${e.operation} ${e.code}\n${e.excerpt}`),
  );
  expect(findings).toEqual([]);
  expect(report.problems).toEqual([]);
  expect(report.runs.flatMap((r) => r.errors)).toEqual([]);
  expect(report.ok).toBe(true);
  expect(report.totals.operationsTested).toBe(report.totals.operationsInSchema);
  expect(report.runs.map((r) => r.name)).toEqual(['customer', 'admin', 'session']);
  expect(report.totals.cases).toBeGreaterThan(500);
  expect(report.durationSeconds).toBeLessThan(BUDGET_SECONDS + 60);
});

test('no partial write is left behind: the data invariants hold after the run', async () => {
  expect(await brokenInvariants(stack.db)).toEqual([]);
  // And the check can fail: an order without items (what a half-done checkout would leave).
  const { rows } = await stack.db.query<{ id: string }>(
    `INSERT INTO orders (user_id, idempotency_key, request_hash, status, payment_method, total_paisa, shipping_address)
     SELECT id, 'invariant-probe', 'x', 'pending', 'cod', 100, '{}'::jsonb FROM users LIMIT 1 RETURNING id`,
  );
  expect(await brokenInvariants(stack.db)).toEqual(
    [
      { invariant: 'every order has at least one item', examples: [rows[0]!.id] },
      { invariant: "an order's total is the sum of its items", examples: [] },
    ].filter((b) => b.examples.length),
  );
  await stack.db.query('DELETE FROM orders WHERE id = $1', [rows[0]!.id]);
});
