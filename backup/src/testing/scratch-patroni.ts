import { imageRef } from '@dhakacart/images';
import { docker, mustDocker, type RunResult } from '../sh';

/**
 * A throwaway container of the project's patroni image, for tests that need real PostgreSQL
 * and real pgBackRest at the versions the lab runs, but no lab: no network, running as
 * postgres, and only `sleep` as its process, so the test starts what it needs with `sh`.
 * It removes itself when `seconds` have passed, should the test never get to `remove`.
 */
export interface ScratchPatroni {
  id: string;
  /** Runs a bash script (`-e` unless `errexit` is false) as postgres in `workdir` (/tmp). */
  sh(
    script: string,
    opts?: { workdir?: string; timeoutMs?: number; errexit?: boolean },
  ): Promise<RunResult>;
  /** As `sh`, and throws with its output unless it exits 0; resolves to its trimmed stdout. */
  mustSh(script: string, opts?: { workdir?: string; timeoutMs?: number }): Promise<string>;
  /** Copies a host file into the container. */
  copyIn(hostPath: string, containerPath: string): Promise<void>;
  remove(): Promise<void>;
}

export async function startScratchPatroni(seconds: number): Promise<ScratchPatroni> {
  const id = (
    await mustDocker([
      'run',
      '-d',
      '--rm',
      '--network',
      'none',
      '--user',
      'postgres',
      '--entrypoint',
      'sleep',
      imageRef('patroni'),
      String(seconds),
    ])
  ).trim();
  const sh: ScratchPatroni['sh'] = (script, o = {}) =>
    docker(
      ['exec', '-w', o.workdir ?? '/tmp', id, 'bash', o.errexit === false ? '-c' : '-ec', script],
      { timeoutMs: o.timeoutMs ?? 120_000 },
    );
  return {
    id,
    sh,
    async mustSh(script, o) {
      const r = await sh(script, o);
      if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr || r.stdout}`);
      return r.stdout.trim();
    },
    async copyIn(hostPath, containerPath) {
      await mustDocker(['cp', hostPath, `${id}:${containerPath}`]);
    },
    async remove() {
      await docker(['rm', '-f', id]);
    },
  };
}
