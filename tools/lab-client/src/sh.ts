import { execFile, spawn } from 'node:child_process';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command without a shell; never throws, the caller decides what a failure means. With
 * `timeoutMs`, a command still running then is killed (SIGKILL) and answers code 124, as
 * timeout(1) does.
 */
export function run(
  cmd: string,
  args: string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      cmd,
      args,
      {
        env: opts.env ?? process.env,
        cwd: opts.cwd,
        maxBuffer: 64 * 1024 * 1024,
        timeout: opts.timeoutMs ?? 0,
        killSignal: 'SIGKILL',
      },
      (err, stdout, stderr) => {
        const code = !err ? 0 : typeof err.code === 'number' ? err.code : err.killed ? 124 : 1;
        resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() });
      },
    );
    if (opts.input !== undefined) {
      // A child that exits before reading its input (a container that just stopped) makes the
      // write fail with EPIPE: its exit code and stderr already say so, so the pipe's error must
      // not become an unhandled event that kills this process (seen at a game day's end).
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(opts.input);
    }
  });
}

/** Like run, but a non-zero exit is an error carrying the command's own message. */
export async function must(
  cmd: string,
  args: string[],
  opts: Parameters<typeof run>[2] = {},
): Promise<string> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0)
    throw new Error(
      `${cmd} ${args.slice(0, 3).join(' ')} failed: ${(r.stderr || r.stdout).trim().slice(-800)}`,
    );
  return r.stdout;
}

export const docker = (args: string[], opts: Parameters<typeof run>[2] = {}) =>
  must('docker', args, opts);

/** Streams a command's output to this process (for `logs -f`). */
export function stream(cmd: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
