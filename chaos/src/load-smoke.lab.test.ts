/**
 * The load tools against the running lab, through the real command (`npm run load`): a short
 * smoke run whose series reach Prometheus through the Pushgateway, and a flash sale (many
 * buyers, a few SKUs with little stock) after which the data's invariants hold. Bounded: about
 * two minutes, traffic only to the lab's edge.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { instant, REPO_ROOT, sleep } from '@dhakacart/lab-client';

const exec = promisify(execFile);

async function load(args: string[]) {
  const r = await exec('bash', [join(REPO_ROOT, 'scripts', 'load.sh'), ...args, '--json'], {
    cwd: REPO_ROOT,
    maxBuffer: 16 * 1024 * 1024,
  }).catch((e: { code: number; stdout: string; stderr: string }) => e);
  const code = 'code' in r && typeof r.code === 'number' ? r.code : 0;
  return { code, out: JSON.parse(r.stdout) as Record<string, unknown>, stderr: r.stderr };
}

test('a smoke run answers within its thresholds, and its series arrive in Prometheus by test id', async () => {
  const testid = `smoke-${Date.now()}`;
  const { code, out } = await load(['smoke', '--duration', '30s', '--testid', testid]);
  console.log(
    `load smoke: ${JSON.stringify({ code, requests: out.requests, failedRate: out.failedRate, p99Ms: out.p99Ms, report: out.report })}`,
  );
  expect(out.testid).toBe(testid);
  expect(out.requests).toBeGreaterThan(50);
  expect(out.failedRate).toBeLessThanOrEqual(0.001);
  expect(String(out.report)).toMatch(/report\.html$/);
  expect(out.pushed).toBe(true);
  let series: Awaited<ReturnType<typeof instant>> = [];
  for (let i = 0; i < 30 && !series.length; i++) {
    series = await instant(`dhakacart_load_requests_total{testid="${testid}"}`).catch(() => []);
    if (!series.length) await sleep(2000);
  }
  expect(series.map((s) => s.metric.sli).sort()).toEqual(expect.arrayContaining(['browse']));
  expect(series.reduce((a, s) => a + s.value, 0)).toBeGreaterThan(0);
});

test('a flash sale sells no more than the stock and leaves every invariant clean', async () => {
  const { code, out, stderr } = await load(['flash-sale', '--duration', '20s']);
  const inv = out.invariants as Record<string, number | boolean> | null;
  console.log(
    `flash sale: ${JSON.stringify({ code, requests: out.requests, invariants: inv && { lost: inv.lost, oversold: inv.oversold, stranded: inv.stranded, unresolved: inv.unresolved } })}`,
  );
  if (!inv) console.log(stderr);
  expect(inv).toMatchObject({
    lost: 0,
    oversold: 0,
    duplicates: 0,
    conservation: 0,
    stranded: 0,
    unresolved: 0,
    passed: true,
  });
  // Buyers far outnumber the units: most are told the item sold out, none is charged for it.
  expect(out.requests).toBeGreaterThan(30);
});
