import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '@dhakacart/lab-client';

// The benchmarks' numeric flags are read before the lab is looked at, so these need no lab.
// Number(text) read each of these refused values as a number (20, 2, 16, 0, 24).
const bench = (file: string, args: string[]) => {
  const r = spawnSync(
    join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
    [join(__dirname, file), ...args],
    {
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  return { code: r.status, err: r.stderr.trim() };
};

test.each([
  ['--seconds', '2e1'],
  ['--idle-samples', '2.0'],
  ['--orders-rate', '0x10'],
  ['--settle-minutes', ''],
  ['--orders-seconds', ' 30'],
])('bench:capacity %s %j is refused with one line naming the flag, exit 2', (flag, value) => {
  const r = bench('capacity.ts', [flag, value]);
  expect(r.code).toBe(2);
  // The range is the script's to state; the test holds the shape and the value echoed back.
  expect(r.err).toMatch(
    new RegExp(
      `^bench:capacity: ${flag} must be ${flag === '--idle-samples' ? 'a whole number' : 'a number'} from 0 to \\d+ written in digits, got "${value}"$`,
    ),
  );
});

test.each([
  ['--hours', '2.4e1'],
  ['--minutes', '+3'],
  ['--warmup-seconds', ''],
])('bench:rules %s %j is refused with one line naming the flag', (flag, value) => {
  const r = bench('rule-cost.ts', [flag, value]);
  expect(r.code).not.toBe(0);
  expect(r.err).toMatch(
    new RegExp(
      `^bench:rules: ${flag} must be a whole number from \\d+ to \\d+, got "${value.replace('+', '\\+')}"$`,
    ),
  );
});
