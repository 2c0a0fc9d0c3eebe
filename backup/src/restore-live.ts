import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import type { BackupEnv } from './environment';
import { BackupError } from './errors';
import { restoreError } from './isolated-target';
import { psqlExec } from './psql';
import { repoInfo } from './repository';
import { docker, mustDocker, sleep } from './sh';
import { assertAfterOldestBackup, pgTime } from './time';

export interface RestoreLivePlan {
  stack: string;
  to: string | null;
  repo: 1 | 2;
  members: string[];
  steps: string[];
}

const MEMBERS = ['pg1', 'pg2', 'pg3'];

/** What restore-live will do, step by step (printed by --dry-run and before it starts). */
export function planRestoreLive(o: {
  stack: string;
  to: Date | null;
  repo: 1 | 2;
}): RestoreLivePlan {
  const svc = (m: string) => `${o.stack}_${m}`;
  return {
    stack: o.stack,
    to: o.to?.toISOString() ?? null,
    repo: o.repo,
    members: MEMBERS.map(svc),
    steps: [
      `check repo${o.repo} opens with the key and holds a backup before ${o.to?.toISOString() ?? 'now'}`,
      `scale ${MEMBERS.map(svc).join(', ')} to 0 and wait for their containers to stop`,
      `remove the Patroni cluster state from etcd (patronictl remove, from a one-off container on ${o.stack}_data)`,
      `wipe the data directories in volumes ${MEMBERS.map(svc).join(', ')}`,
      `restore repo${o.repo} ${o.to ? `to ${o.to.toISOString()}` : 'to the end of its WAL'} into volume ${svc('pg1')}, replay and promote in a one-off container with no network, stop it cleanly`,
      `scale ${svc('pg1')} to 1: Patroni adopts the restored data as a new cluster and leads`,
      `scale ${svc('pg2')} and ${svc('pg3')} to 1: they clone from the new leader`,
      'take a full backup to both repositories (the restore starts a new timeline)',
    ],
  };
}

async function scale(service: string, n: number) {
  await mustDocker(['service', 'scale', '--detach', `${service}=${n}`]);
}

async function waitGone(stack: string, member: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const r = await docker([
      'ps',
      '-q',
      '--filter',
      `label=com.docker.swarm.service.name=${stack}_${member}`,
    ]);
    if (!r.stdout.trim()) return;
    await sleep(1000);
  }
  throw new BackupError('restoreFailed', `${stack}_${member} did not stop in time`);
}

/**
 * Replaces the live lab's database with a restore, from the repository alone (WAL archived at
 * least every 60 s; the stream is not used). Only reached with the explicit confirmation
 * flag (cli.ts); every step is logged, and a failure stops at that step with the members down
 * (the runbook says how to go on by hand).
 */
export async function restoreLive(
  plan: RestoreLivePlan,
  ctx: { env: BackupEnv; key: string; say: (l: string) => void },
): Promise<{ plan: RestoreLivePlan; leader: string; seconds: number }> {
  const started = Date.now();
  const { env, key, say } = ctx;
  const stack = plan.stack;
  const volume = env.repoVolumes[plan.repo];
  const image = env.restoreImage;
  const step = (i: number) => say(`[${i + 1}/${plan.steps.length}] ${plan.steps[i]}`);

  step(0);
  const state = await repoInfo({ image, volume, repo: plan.repo, stanza: env.stanza, key });
  if (plan.to) assertAfterOldestBackup(new Date(plan.to), state.oldest.stoppedAt, plan.repo);

  step(1);
  for (const m of MEMBERS) await scale(`${stack}_${m}`, 0);
  for (const m of MEMBERS) await waitGone(stack, m, 120_000);

  step(2);
  // The leader key expires after Patroni's ttl (15 s); then the cluster can be removed.
  await sleep(20_000);
  const rm = await docker(
    [
      'run',
      '--rm',
      '-i',
      '--network',
      `${stack}_data`,
      '--entrypoint',
      'patronictl',
      image,
      '--dcs-url',
      'etcd3://etcd1:2379',
      'remove',
      env.stanza,
    ],
    { input: `${env.stanza}\nYes I am aware\n`, timeoutMs: 60_000 },
  );
  if (rm.code !== 0)
    throw new BackupError(
      'restoreFailed',
      `patronictl remove failed: ${rm.stderr.trim().split('\n').pop()}`,
    );

  step(3);
  for (const m of MEMBERS)
    await mustDocker([
      'run',
      '--rm',
      '--network',
      'none',
      '--user',
      'postgres',
      '-v',
      `${stack}_${m}:/data`,
      '--entrypoint',
      'bash',
      image,
      '-c',
      'rm -rf /data/pgdata',
    ]);

  step(4);
  const name = `${stack}-restore-live-${randomBytes(3).toString('hex')}`;
  await mustDocker([
    'create',
    '-i',
    '--name',
    name,
    '--network',
    'none',
    '--no-healthcheck',
    '--tmpfs',
    '/run/restore:mode=1777',
    '-v',
    `${stack}_pg1:/var/lib/postgresql/restore`,
    '-v',
    `${volume}:/repo${plan.repo}:ro`,
    '--entrypoint',
    '/usr/local/bin/pgbackrest-restore-isolated',
    image,
    '--repo',
    String(plan.repo),
    ...(plan.to ? ['--target', pgTime(new Date(plan.to))] : []),
  ]);
  try {
    const child = spawn('docker', ['start', '-a', '-i', name], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(`${key}\n`);
    const deadline = Date.now() + 3 * 3600_000;
    for (;;) {
      const s = (await docker(['inspect', '-f', '{{.State.Status}}', name])).stdout.trim();
      if (s === 'exited') throw restoreError((await docker(['logs', '--tail', '40', name])).stderr);
      const ready = await psqlExec(name, 'SELECT pg_is_in_recovery()', 'postgres').catch(() => []);
      if (ready[0] === 'f') break;
      if (Date.now() > deadline)
        throw new BackupError('restoreFailed', 'the restore did not finish in 3 hours');
      await sleep(1000);
    }
    await mustDocker([
      'exec',
      name,
      'pg_ctl',
      'stop',
      '-D',
      '/var/lib/postgresql/restore/pgdata',
      '-m',
      'fast',
      '-w',
    ]);
  } finally {
    await docker(['rm', '-f', '-v', name]);
  }

  step(5);
  await scale(`${stack}_pg1`, 1);
  let leader = '';
  for (let i = 0; i < 120 && !leader; i++) {
    await sleep(2000);
    const c = (
      await docker([
        'ps',
        '-q',
        '--filter',
        `label=com.docker.swarm.service.name=${stack}_pg1`,
        '--filter',
        'status=running',
      ])
    ).stdout.trim();
    if (!c) continue;
    const r = await psqlExec(c, 'SELECT pg_is_in_recovery()', 'postgres').catch(() => []);
    if (r[0] === 'f') leader = `${stack}_pg1`;
  }
  if (!leader)
    throw new BackupError('restoreFailed', 'pg1 did not lead on the restored data in 4 minutes');

  step(6);
  await scale(`${stack}_pg2`, 1);
  await scale(`${stack}_pg3`, 1);

  step(7);
  const b = await docker(
    ['exec', env.backupContainer, 'dhakacart-backup', 'now', '--type', 'full'],
    { timeoutMs: 4 * 3600_000 },
  );
  if (b.code !== 0)
    say(`the full backup failed (take it by hand: npm run backup -- now): ${b.stdout.trim()}`);
  return { plan, leader, seconds: Math.round((Date.now() - started) / 1000) };
}
