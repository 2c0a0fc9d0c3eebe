import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './workflows';

const cli = (args: string[], input = '') =>
  spawnSync(
    path.join(REPO_ROOT, 'node_modules/.bin/tsx'),
    ['tools/workflows/src/cli.ts', ...args],
    {
      cwd: REPO_ROOT,
      input,
      encoding: 'utf8',
      timeout: 120_000,
    },
  );

describe('the workflows CLI', () => {
  it('lints the repository clean (what `npm run check -w @dhakacart/workflows` runs)', () => {
    const r = cli(['lint', '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ findings: [] });
  });

  it.each([
    ['an unknown command', ['deploy'], '', 'UNKNOWN_COMMAND'],
    ['an unknown object', ['render', 'pod'], '', 'UNKNOWN_OBJECT'],
    ['a missing flag', ['render', 'canary', '--release', 'v1'], '{}', 'MISSING_FLAG'],
    ['an unknown flag', ['render', 'canary', '--imag', 'x'], '{}', 'BAD_ARGUMENTS'],
    [
      'stdin that is not an object',
      ['render', 'workflow', '--name', 'n'],
      ': : :',
      'STDIN_NOT_AN_OBJECT',
    ],
    [
      'a live object of the wrong kind',
      ['render', 'workflow', '--name', 'n'],
      '{"kind":"Pod"}',
      'BAD_LIVE_OBJECT',
    ],
  ])('answers %s with a JSON error and exit 2', (_label, args, input, code) => {
    const r = cli(args, input);
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stderr.trim().split('\n').pop()!)).toMatchObject({ error: code });
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
