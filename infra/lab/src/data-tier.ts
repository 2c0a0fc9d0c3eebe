import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LAB_ROOT, STACK } from './paths';
import { run, sleep } from './sh';

/** Images of the HA data tier (stack.data.yml); `haproxy` is shared with the edge. */
export const DATA_IMAGES = ['etcd', 'patroni', 'redis-ha', 'haproxy'] as const;

export const PATRONI_MEMBERS = ['pg1', 'pg2', 'pg3'] as const;
export const REDIS_NODES = ['redis1', 'redis2'] as const;
export const SENTINELS = ['sentinel1', 'sentinel2', 'sentinel3'] as const;
export const REDIS_MASTER_NAME = 'dhakacart';

const PGROUTER_CFG = join(LAB_ROOT, 'patroni', 'pgrouter.cfg');

/**
 * What stack.data.yml interpolates: its image references and the router config's content hash
 * (Swarm configs are immutable, so a changed file must get a new name).
 */
export function dataStackEnv(refs: Record<string, string>): Record<string, string> {
  const missing = DATA_IMAGES.filter((n) => !refs[n]);
  if (missing.length) throw new Error(`data tier images not built: ${missing.join(', ')}`);
  return {
    ETCD_IMAGE: refs.etcd!,
    PATRONI_IMAGE: refs.patroni!,
    REDIS_HA_IMAGE: refs['redis-ha']!,
    PGROUTER_CFG_HASH: createHash('sha256')
      .update(readFileSync(PGROUTER_CFG))
      .digest('hex')
      .slice(0, 12),
  };
}

/** The running container of a one-replica service, or null (between restarts). */
export async function containerOf(service: string): Promise<string | null> {
  const r = await run('docker', [
    'ps',
    '-q',
    '--filter',
    `label=com.docker.swarm.service.name=${STACK}_${service}`,
    '--filter',
    'status=running',
  ]);
  return r.stdout.split('\n').filter(Boolean)[0] ?? null;
}

export interface PatroniMember {
  name: string;
  role: string;
  state: string;
  lag?: number | string;
}

/**
 * Patroni's view of the cluster (GET /cluster), asked of any member that answers. Read from
 * inside the container: the REST API is published nowhere.
 */
export async function patroniCluster(): Promise<PatroniMember[] | null> {
  for (const m of PATRONI_MEMBERS) {
    const c = await containerOf(m);
    if (!c) continue;
    const r = await run('docker', [
      'exec',
      c,
      'python3',
      '-c',
      'import urllib.request,sys;sys.stdout.write(urllib.request.urlopen("http://127.0.0.1:8008/cluster",timeout=2).read().decode())',
    ]);
    if (r.code !== 0) continue;
    try {
      return (JSON.parse(r.stdout) as { members: PatroniMember[] }).members;
    } catch {
      continue;
    }
  }
  return null;
}

/** The leader's name, and whether a synchronous standby is streaming from it. */
export function leaderOf(members: PatroniMember[]): { leader?: string; syncReady: boolean } {
  const leader = members.find((m) => m.role === 'leader' && m.state === 'running')?.name;
  const syncReady = members.some(
    (m) => m.role === 'sync_standby' && (m.state === 'streaming' || m.state === 'running'),
  );
  return { leader, syncReady };
}

/**
 * Waits until Patroni has a running leader and a synchronous standby: with strict synchronous
 * mode, writes (migrations first) block until a standby acknowledges them.
 */
export async function waitForDatabase(
  timeoutMs: number,
  say: (s: string) => void = () => undefined,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const members = await patroniCluster();
    const { leader, syncReady } = leaderOf(members ?? []);
    if (leader && syncReady) return leader;
    const line = members?.length
      ? members.map((m) => `${m.name}:${m.role}/${m.state}`).join(' ')
      : 'no Patroni member answers yet (or none has registered)';
    if (line !== last) say(`    database: ${line}`);
    last = line;
    if (Date.now() > deadline)
      throw new Error(`no Patroni leader with a synchronous standby in time (${line})`);
    await sleep(2000);
  }
}
