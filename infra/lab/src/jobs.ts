import { docker, run, sleep } from '@dhakacart/lab-client';
import { STACK } from './paths';

export interface JobSpec {
  name: string;
  image: string;
  command: string[];
  env?: Record<string, string>;
  /** Swarm secrets as `source:target`. */
  secrets?: string[];
  networks?: string[];
  timeoutMs?: number;
}

/**
 * Runs a one-shot task on the Swarm (a `replicated-job` service) so it can reach the stack's
 * internal networks and read Swarm secrets, then returns its output and removes it.
 */
export async function runJob(j: JobSpec): Promise<string> {
  const name = `${STACK}_job_${j.name}`;
  await run('docker', ['service', 'rm', name]);
  const args = [
    'service',
    'create',
    '--detach',
    '--name',
    name,
    '--mode',
    'replicated-job',
    '--restart-condition',
    'none',
    // The images' HEALTHCHECK probes a server a job does not run: Swarm would kill the job as
    // unhealthy (exit 137) once its start period ends, in the middle of a slow migration.
    '--no-healthcheck',
  ];
  // One fast DNS try: on an internal network Docker's DNS does not answer for a name with no
  // running task, and glibc's default waits make every retry cost 20 s instead of 1 s.
  const env = { RES_OPTIONS: 'timeout:1 attempts:1', ...j.env };
  for (const [k, v] of Object.entries(env)) args.push('--env', `${k}=${v}`);
  for (const s of j.secrets ?? []) {
    const [source, target] = s.split(':');
    args.push('--secret', `source=${source},target=${target ?? source}`);
  }
  for (const n of j.networks ?? []) args.push('--network', n);
  args.push(j.image, ...j.command);
  await docker(args);
  const deadline = Date.now() + (j.timeoutMs ?? 180_000);
  try {
    for (;;) {
      const states = (
        await docker(['service', 'ps', name, '--format', '{{.CurrentState}}|{{.Error}}'])
      )
        .trim()
        .split('\n');
      const latest = states[0] ?? '';
      if (latest.startsWith('Complete')) break;
      if (/^(Failed|Rejected|Shutdown)/.test(latest)) {
        const logs = await run('docker', ['service', 'logs', '--raw', name]);
        throw new Error(
          `job ${j.name} failed (${latest}):\n${(logs.stdout + logs.stderr).trim().slice(-1500)}`,
        );
      }
      if (Date.now() > deadline)
        throw new Error(`job ${j.name} did not finish in time (last state: ${latest})`);
      await sleep(1000);
    }
    return (await run('docker', ['service', 'logs', '--raw', name])).stdout;
  } finally {
    await run('docker', ['service', 'rm', name]);
  }
}
