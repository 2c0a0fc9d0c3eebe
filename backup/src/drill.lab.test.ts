import { join } from 'node:path';
import { committedThresholds, HISTORY_DIR, runScenario, SCENARIOS } from '@dhakacart/loadtests';
import { discover, drill, status as backupStatus } from '@dhakacart/backup';

// The restore drill against the running lab (part 2 of `npm test`), under continuous order
// writes from loadtests/ (shoppers checking out through the TLS edge, their acknowledged orders
// in the clients' history). At a moment T it restores the latest recoverable state into a
// throwaway container on a throwaway network and checks every order acknowledged before T;
// nothing is restored over the live cluster.

test('the restore drill recovers every order acknowledged before T, within RTO 5 min and RPO 5 s', async () => {
  const env = await discover();
  const status = await backupStatus(env);
  expect(status.repos.map((r) => r.ok)).toEqual([true, true]);
  expect(status.walArchiving?.failing).toBe(false);
  const stop = new AbortController();
  const testid = `drill-${Date.now()}`;
  const load = runScenario({
    scenario: SCENARIOS.gameday!,
    visitors: 120,
    seconds: 240,
    thresholds: committedThresholds(),
    pushgatewayUrl: null,
    testid,
    signal: stop.signal,
  });
  try {
    // Give the shoppers time to buy; their acknowledged orders go to the run's history.
    await new Promise((r) => setTimeout(r, 45_000));
    const historyFile = join(HISTORY_DIR, `${testid}.jsonl`);
    const r = await drill({
      env,
      repo: 1,
      historyFile,
      warmupMs: 5_000,
      writeIntervalMs: 50,
      restoreTimeoutMs: 300_000,
      keep: false,
      record: true,
      say: () => undefined,
    });
    console.log(
      `restore drill: ${JSON.stringify({ rto: r.rtoSeconds, rpo: r.rpoSeconds, verified: r.ordersVerified, mismatches: r.mismatches })}`,
    );
    expect(r.mismatches).toBe(0);
    expect(r.ordersVerified).toBeGreaterThanOrEqual(10);
    expect(r.rtoSeconds).toBeLessThanOrEqual(300);
    expect(r.rpoSeconds).toBeLessThanOrEqual(5);
  } finally {
    stop.abort();
    await load.catch(() => undefined);
  }
}, 600_000);
