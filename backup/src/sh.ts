import { docker as mustDocker, run } from '@dhakacart/lab-client';

/**
 * The backup tools' shell helpers, on the lab client's one `run` (no shell, never throws,
 * `timeoutMs` kills and answers 124).
 */
export { run, sleep, type RunResult } from '@dhakacart/lab-client';

/** docker, never throwing: the caller reads the exit code (pgBackRest's codes mean things). */
export const docker = (args: string[], opts: Parameters<typeof run>[2] = {}) =>
  run('docker', args, opts);

/** docker, where a non-zero exit is an Error carrying docker's own last words. */
export { mustDocker };

export const lastLine = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter((l) => l.trim())
    .pop()
    ?.trim() ?? '';
