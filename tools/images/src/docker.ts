import { spawn, execFileSync } from 'node:child_process';

/** True when the local engine has the image. */
export function imageExists(ref: string): boolean {
  try {
    execFileSync('docker', ['image', 'inspect', ref], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function imageSizeBytes(ref: string): number {
  return Number(
    execFileSync('docker', ['image', 'inspect', '-f', '{{.Size}}', ref], {
      encoding: 'utf8',
    }).trim(),
  );
}

export function tagImage(from: string, to: string): void {
  execFileSync('docker', ['tag', from, to], { stdio: 'ignore' });
}

/**
 * Runs a command, printing only progress lines (docker's "Step n/m" or BuildKit's "#n [..]")
 * so the output stays readable; on failure the tail of the full log is shown.
 */
export function runWithProgress(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; prefix: string; showAll?: boolean },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env });
    const tail: string[] = [];
    const onData = (buf: Buffer) => {
      for (const line of buf.toString().split('\n')) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 60) tail.shift();
        if (opts.showAll || /^(Step \d+\/\d+|#\d+ \[)/.test(line))
          process.stderr.write(`${opts.prefix}${line.trim()}\n`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}\n${tail.join('\n')}`));
    });
  });
}
