import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from './cli';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
  const error = jest.spyOn(console, 'error').mockImplementation((s: string) => void err.push(s));
  try {
    return { code: await main(argv), out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('slo CLI', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slo-cli-'));
  const bad = path.join(dir, 'bad.yaml');
  fs.writeFileSync(
    bad,
    'version: "prometheus/v1"\nservice: s\nslos:\n  - name: a\n    objective: 0\n    sli: { raw: { error_ratio_query: "vector(0)" } }\n',
  );

  it('prints help and exits 0 for --help', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('gate --prometheus <url>');
  });

  it('exits 64 on an unknown option, naming it', async () => {
    const r = await run(['generate', '--in', bad, '--out', path.join(dir, 'x.yaml'), '--bogus']);
    expect(r.code).toBe(64);
    expect(r.err).toContain('unknown option --bogus');
  });

  it('exits 64 on an unknown platform, naming the ones it knows', async () => {
    const r = await run([
      'generate',
      '--in',
      bad,
      '--out',
      path.join(dir, 'x.yaml'),
      '--platform',
      'aws',
    ]);
    expect(r.code).toBe(64);
    expect(r.err).toContain('--platform must be one of lab, gke, got "aws"');
  });

  it.each([
    ['--timeout-ms', '2e3', 'must be a whole number written in digits'],
    ['--timeout-ms', ' 2000', 'must be a whole number written in digits'],
    ['--max-burn', '0x2', 'must be a number written in digits, with an optional decimal point'],
    [
      '--max-burn',
      'Infinity',
      'must be a number written in digits, with an optional decimal point',
    ],
    ['--max-burn', '0', 'must be > 0'],
    ['--min-budget', '2.5e-1', 'must be a ratio between 0 and 1 (0.25) or a percentage (25%)'],
    ['--min-budget', ' 25%', 'must be a ratio between 0 and 1 (0.25) or a percentage (25%)'],
    ['--min-budget', '150%', 'must be a ratio between 0 and 1 (0.25) or a percentage (25%)'],
  ])('gate exits 64 on %s %j, before asking Prometheus', async (flag, value, message) => {
    // Port 9 on loopback: a gate that got past its flags would report Prometheus unreachable.
    const r = await run(['gate', '--prometheus', 'http://127.0.0.1:9', flag, value]);
    expect({ code: r.code, err: r.err }).toEqual({
      code: 64,
      err: expect.stringContaining(`${flag}: ${message}`),
    });
  });

  it.each([
    [['--min-budget', '25%'], { minBudgetRemaining: 0.25 }],
    [['--min-budget', '0.25'], { minBudgetRemaining: 0.25 }],
    [
      ['--min-budget', '12.5%', '--max-burn', '1.5'],
      { minBudgetRemaining: 0.125, maxReleaseBurn: 1.5 },
    ],
    [['--min-budget', '0'], { minBudgetRemaining: 0 }],
  ])('gate reads %j into its policy', async (flags, policy) => {
    // An unreachable Prometheus (port 9) still prints the decision with the policy, exit 2.
    const r = await run(['gate', '--prometheus', 'http://127.0.0.1:9', '--json', ...flags]);
    expect(r.code).toBe(2);
    expect((JSON.parse(r.out) as { policy: object }).policy).toMatchObject(policy);
  });

  it('exits 1 with machine-readable issues for invalid specs and writes nothing', async () => {
    const out = path.join(dir, 'rules.yaml');
    const r = await run(['generate', '--in', bad, '--out', out, '--json']);
    expect(r.code).toBe(1);
    const body = JSON.parse(r.out) as {
      ok: boolean;
      error: string;
      issues: { field: string; reason: string }[];
    };
    expect(body.ok).toBe(false);
    expect(body.error).toBe('SLO_SPEC_INVALID');
    // Schema errors stop that document before its queries are checked.
    expect(body.issues).toEqual([
      {
        file: expect.stringMatching(/bad\.yaml$/),
        field: 'slos[0].objective',
        reason: 'must be in (0,100]',
      },
    ]);
    expect(fs.existsSync(out)).toBe(false);
  });
});
