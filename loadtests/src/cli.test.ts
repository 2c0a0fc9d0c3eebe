import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '@dhakacart/lab-client';

// Bad input is refused with one line and exit 2 before any traffic is sent. The lab's state
// does not matter here: every case is decided before the CLI looks at it, except the last,
// which points the CLI at an engine that does not exist.
const cli = (args: string[], env: Record<string, string> = {}) => {
  const r = spawnSync(
    join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
    [join(__dirname, 'cli.ts'), ...args],
    { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 },
  );
  return { code: r.status, err: r.stderr.trim(), out: r.stdout };
};

test.each([
  [['nosuch'], /^load: unknown scenario "nosuch"/],
  [['smoke', '--visitors=-5'], /^load: --visitors must be a whole number/],
  [['smoke', '--visitors', '1e9'], /^load: --visitors must be a whole number/],
  // Number(text) read these as 16, 20 and 150: a flag's number is decimal digits only.
  [['smoke', '--visitors', '0x10'], /^load: --visitors must be a whole number/],
  [['smoke', '--visitors', '2e1'], /^load: --visitors must be a whole number/],
  [['smoke', '--visitors', ' 150'], /^load: --visitors must be a whole number/],
  [['capacity', '--step-seconds', '4e1'], /^load: --step-seconds must be a whole number/],
  [['smoke', '--duration', 'soon'], /^load: --duration "soon" is not a duration/],
  [['smoke', '--target', 'https://example.com'], /^load: refusing to send traffic to example\.com/],
  [['capacity', '--start', '0'], /^load: --start must be a whole number/],
  [['capacity', '--step-seconds', '5'], /^load: --step-seconds must be a whole number/],
  [
    ['capacity', '--start', '900', '--max-visitors', '500'],
    /^load: --max-visitors must be at least/,
  ],
  [['peak-100k'], /^load: peak-100k runs in the cluster/],
])('load %j is refused with one line and exit 2', (args, message) => {
  const r = cli(args);
  expect(r.code).toBe(2);
  expect(r.err).toMatch(message);
  expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
});

test('a lab that is not up is named before any traffic', () => {
  const r = cli(['smoke'], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
  expect(r.code).toBe(2);
  expect(r.err).toBe('load: the lab is not up: run `npm run lab` first');
});
