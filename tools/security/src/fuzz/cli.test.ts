import { spawnSync } from 'node:child_process';
import path from 'node:path';

const CLI = path.join(__dirname, 'cli.ts');

/** The fuzz CLI's flags, checked before anything is fuzzed (the base URL's port 9 answers nothing). */
function fuzz(...flags: string[]) {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', CLI, '--base-url', 'http://127.0.0.1:9', ...flags],
    { encoding: 'utf8', timeout: 60_000 },
  );
  return { code: r.status, err: r.stderr };
}

test.each([
  ['--seed', '0x10'],
  ['--seed', ' 16'],
  ['--max-examples', '1e2'],
  ['--budget-seconds', '60.0'],
  ['--budget-seconds', '+60'],
])('%s %j is refused with exit 2 and what a number must be', (flag, value) => {
  const r = fuzz(flag, value);
  expect({ code: r.code, err: r.err.split('\n')[0] }).toEqual({
    code: 2,
    err: `fuzz: ${flag}: must be a whole number written in digits`,
  });
});
