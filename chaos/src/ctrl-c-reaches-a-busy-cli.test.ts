/**
 * A Ctrl-C must reach the game day's own handler, which reverts the fault that is on, even when
 * the CLI is too busy to answer at once (a loaded machine). The README commands run their CLIs
 * with `run_ts` (scripts/lib.sh): node with tsx as its loader, one process. Run through the tsx
 * command instead, a parent relays the signal and, when the CLI has not acknowledged it within
 * about 60 ms, kills it with SIGKILL and exits 130: the handler never runs. That is how a
 * game day under a CPU burner once died half-way through Ctrl-C (exit 130, not 2).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '@dhakacart/lab-client';

const FIXTURE = join(__dirname, 'fixtures', 'busy-on-ctrl-c.ts');

/** Starts the command in its own process group; once it says "ready", Ctrl-C to the group. */
function ctrlC(command: string, args: string[]) {
  return new Promise<{ code: number | null; out: string }>((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    let sent = false;
    const group = (sig: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, sig);
      } catch {
        // already gone
      }
    };
    const guard = setTimeout(() => group('SIGKILL'), 30_000);
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (!sent && out.includes('ready')) {
        sent = true;
        group('SIGINT');
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(guard);
      resolve({ code, out });
    });
  });
}

test("run_ts: a busy CLI's own Ctrl-C handler runs, and its exit code is kept", async () => {
  const r = await ctrlC('bash', [
    '-c',
    `source ${join(REPO_ROOT, 'scripts', 'lib.sh')} && run_ts "$0"`,
    FIXTURE,
  ]);
  expect(r.out).toContain('reverted');
  expect(r.code).toBe(2);
}, 60_000);

test('through the tsx command, the same busy CLI is killed before its handler runs (why run_ts exists)', async () => {
  const r = await ctrlC(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [FIXTURE]);
  expect(r.out).not.toContain('reverted');
  expect(r.code).toBe(130);
}, 60_000);

// That every npm script runs its CLI this way is checked with the repository's policies:
// tools/workflows/src/npm-scripts.test.ts.
