import { EXIT } from './errors';
import { main } from './cli';
import { seconds } from './args';

async function capture(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const o = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((s) => (out.push(String(s)), true));
  const e = jest
    .spyOn(process.stderr, 'write')
    .mockImplementation((s) => (err.push(String(s)), true));
  try {
    const code = await main(argv);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

test.each(['status', 'now', 'restore', 'drill', 'restore-live'])(
  '%s --help explains the command',
  async (cmd) => {
    const r = await capture([cmd, '--help']);
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toMatch(new RegExp(`^Usage: npm run backup -- ${cmd}`));
  },
);

test('no command prints the overview with every exit code and fails as a usage error', async () => {
  const r = await capture([]);
  expect(r.code).toBe(EXIT.usage);
  expect(r.stdout).toMatch(/restore-live/);
  expect(r.stdout).toMatch(/8 wrongKey/);
});

test('usage errors are one line, and a JSON document with --json', async () => {
  const r = await capture(['now', '--type', 'weekly', '--json']);
  expect(r.code).toBe(EXIT.usage);
  expect(r.stderr).toBe('backup: --type must be full, diff or incr\n');
  expect(JSON.parse(r.stdout)).toEqual({
    error: { kind: 'usage', message: '--type must be full, diff or incr', exitCode: EXIT.usage },
  });
  expect((await capture(['drill', '--warmup', '-3'])).code).toBe(EXIT.usage);
  expect((await capture(['restore', '--to'])).stderr).toBe('backup: --to needs a value\n');
});

// Number(text) read these as 10, 16, 9 and 0 seconds: a flag's number is written in digits.
test.each([
  ['drill', '--warmup', '1e1'],
  ['drill', '--interval', '0x10'],
  ['drill', '--timeout', ' 9'],
  ['drill', '--warmup', ''],
])('%s %s %j is refused as a usage error naming the flag', async (cmd, flag, value) => {
  const r = await capture([cmd, flag, value, '--json']);
  expect(r.code).toBe(EXIT.usage);
  expect(JSON.parse(r.stdout)).toEqual({
    error: {
      kind: 'usage',
      message: expect.stringMatching(new RegExp(`^${flag} must be a number of seconds .*digits$`)),
      exitCode: EXIT.usage,
    },
  });
});

test('drill --warmup 2.5 is read as seconds with a fraction', () => {
  expect(
    seconds(
      { command: 'drill', flags: new Map([['--warmup', ['2.5']]]), help: false, json: false },
      '--warmup',
      15,
      3600,
    ),
  ).toBe(2.5);
});

test('restore-live --dry-run prints the plan and touches nothing', async () => {
  const r = await capture([
    'restore-live',
    '--to',
    'latest',
    '--dry-run',
    '--json',
    '--stack',
    'nowhere',
  ]);
  expect(r.code).toBe(EXIT.ok);
  expect(JSON.parse(r.stdout)).toMatchObject({
    dryRun: true,
    plan: { stack: 'nowhere', to: null },
  });
});
