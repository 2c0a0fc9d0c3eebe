import { execFile } from 'node:child_process';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command without a shell and never throws; the caller decides what a failure means. */
export function run(
  cmd: string,
  args: string[],
  opts: { input?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      cmd,
      args,
      { maxBuffer: 64 * 1024 * 1024, timeout: opts.timeoutMs ?? 0, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 124) : 0;
        resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() });
      },
    );
    if (opts.input !== undefined) {
      // A child that exits before reading its input fails the write with EPIPE; its exit code
      // already says what happened, so the pipe's error must not crash this process.
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(opts.input);
    }
  });
}

export const docker = (args: string[], opts: Parameters<typeof run>[2] = {}) =>
  run('docker', args, opts);

/** Like docker(), but a non-zero exit becomes an Error carrying docker's own last words. */
export async function mustDocker(
  args: string[],
  opts: Parameters<typeof run>[2] = {},
): Promise<string> {
  const r = await docker(args, opts);
  if (r.code !== 0)
    throw new Error(
      `docker ${args.slice(0, 2).join(' ')} failed: ${(r.stderr || r.stdout).trim().slice(-400)}`,
    );
  return r.stdout;
}

export const lastLine = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter((l) => l.trim())
    .pop()
    ?.trim() ?? '';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
