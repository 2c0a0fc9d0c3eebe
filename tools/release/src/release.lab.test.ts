import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  containers,
  REPO_ROOT,
  serviceImage,
  serviceSettled,
  sinkReceived,
  waitFor,
} from '@dhakacart/lab-client';
import { LOCK_FILE, type ReleaseResult } from './release';

// The release against the running lab, under its own load: a defective version is caught by the
// gate alone and rolled back; a good one is promoted with no failed request; Ctrl-C in the middle
// leaves the api on one version and the lock released. Each run is a real `npm run release`.

jest.setTimeout(12 * 60_000);

interface Ran {
  code: number | null;
  result: ReleaseResult | null;
  stderr: string;
}

function release(args: string[], o: { interruptWhen?: RegExp } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    // As the README command runs it (run_ts in scripts/lib.sh): node with tsx as its loader,
    // so a Ctrl-C reaches the release itself, not a relaying parent that may SIGKILL it.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'cli.ts'), '--json', ...args],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
      if (o.interruptWhen && !interrupted && o.interruptWhen.test(stderr)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    // Bounded: a release that hangs is killed, and the test fails on its missing result.
    const guard = setTimeout(() => child.kill('SIGKILL'), 11 * 60_000);
    child.on('exit', (code) => {
      clearTimeout(guard);
      let result: ReleaseResult | null = null;
      try {
        result = JSON.parse(stdout) as ReleaseResult;
      } catch {
        result = null;
      }
      resolve({ code, result, stderr });
    });
  });
}

async function apiOnOneImage(image: string) {
  await waitFor(
    'every api replica on one image',
    () => serviceSettled('api', image),
    180_000,
    2000,
  );
  const images = new Set((await containers('api')).map((c) => c.image));
  return [...images];
}

test('a release that fails 30% of checkouts is caught by the gate and rolled back, announced on every channel', async () => {
  const before = await serviceImage('api');
  const r = await release([
    '--inject-fault',
    'checkout-5xx:30',
    '--window',
    '60',
    '--visitors',
    '120',
  ]);
  if (!r.result)
    throw new Error(`no JSON from the release (exit ${r.code}):\n${r.stderr.slice(-4000)}`);
  const res = r.result;
  expect({ code: r.code, outcome: res.outcome, reason: res.reason }).toMatchObject({
    code: 1,
    outcome: 'rolled-back',
  });
  expect(res.gate?.verdict).toBe('breach');
  expect(res.rolledBack).toBe(true);
  // Back on the image that served before, every replica.
  expect(await apiOnOneImage(before)).toEqual([before.split('@')[0]]);
  // Customers saw the defect only while the gate decided: a small share of all requests.
  expect(res.totalRequests).toBeGreaterThan(500);
  expect(res.failedRequests / res.totalRequests).toBeLessThan(0.03);
  // The rollback was announced to the chat, SMS and e-mail receivers.
  const received = await sinkReceived();
  const about = received.filter((x) => JSON.stringify(x).includes(res.version!));
  const channels = new Set(
    about.filter((x) => JSON.stringify(x).includes('rolled-back')).map((x) => x.channel),
  );
  expect(channels.size).toBeGreaterThanOrEqual(3);
  expect(existsSync(LOCK_FILE)).toBe(false);
});

test('a good release rolls out under load and is promoted, with no failed request', async () => {
  const r = await release(['--window', '30', '--visitors', '120']);
  const res = r.result!;
  expect({ code: r.code, outcome: res?.outcome, reason: res?.reason }).toMatchObject({
    code: 0,
    outcome: 'promoted',
  });
  expect(await apiOnOneImage(res.image!)).toEqual([res.image]);
  expect(res.commitToLiveSeconds).toBeGreaterThan(0);
  expect(res.totalRequests).toBeGreaterThan(500);
  expect(res.failedRequests).toBe(0);
  expect(existsSync(LOCK_FILE)).toBe(false);
});

test('Ctrl-C during the rollout leaves every api replica on the version that served before', async () => {
  const before = await serviceImage('api');
  const r = await release(['--window', '30', '--visitors', '60'], {
    interruptWhen: /rolling the api to/,
  });
  expect(r.code).toBe(2);
  expect(r.result?.outcome).toBe('aborted');
  expect(await apiOnOneImage(before)).toEqual([before.split('@')[0]]);
  expect(existsSync(LOCK_FILE)).toBe(false);
});
