import { run } from './sh';
import { containerOf } from './swarm';

/**
 * Reading the lab's data tier from inside its own containers: nothing of it is published, so
 * Patroni's REST API, psql and redis-cli run through `docker exec`.
 */
export const PATRONI_MEMBERS = ['pg1', 'pg2', 'pg3'] as const;
export const ETCD_MEMBERS = ['etcd1', 'etcd2', 'etcd3'] as const;
export const REDIS_NODES = ['redis1', 'redis2'] as const;
export const SENTINELS = ['sentinel1', 'sentinel2', 'sentinel3'] as const;
export const REDIS_MASTER_NAME = 'dhakacart';

export interface PatroniMember {
  name: string;
  role: string;
  state: string;
  lag?: number | string;
}

/** Patroni's view of the cluster (GET /cluster), asked of any member that answers. */
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

export async function currentLeader(): Promise<string | undefined> {
  return (await patroniCluster())?.find((m) => m.role === 'leader')?.name;
}

/** Runs SQL (sent on stdin) as the postgres superuser on a running member; returns rows. */
export async function psql(sql: string, member?: string): Promise<string[]> {
  const names = member ? [member] : [...PATRONI_MEMBERS];
  let lastErr = 'no running Patroni member';
  for (const m of names) {
    const c = await containerOf(m);
    if (!c) continue;
    const r = await run(
      'docker',
      ['exec', '-i', c, 'psql', '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', 'dhakacart'],
      { input: sql },
    );
    if (r.code === 0) return r.stdout.split('\n').filter(Boolean);
    lastErr = r.stderr.trim();
  }
  throw new Error(`psql failed: ${lastErr}`);
}

/** redis-cli inside a data-tier container, authenticated from its mounted secret file. */
export async function redisCli(service: string, port: number, args: string[]) {
  const c = await containerOf(service);
  if (!c) return null;
  const r = await run('docker', [
    'exec',
    c,
    'bash',
    '-c',
    // The password goes through REDISCLI_AUTH, never argv.
    'REDISCLI_AUTH="$(cat /run/secrets/redis_password)" exec timeout 3 redis-cli --no-auth-warning -p "$0" "$@"',
    String(port),
    ...args,
  ]);
  return r.code === 0 ? r.stdout.trim() : null;
}

/** The primary's name according to the first Sentinel that answers. */
export async function sentinelPrimary(): Promise<string | null> {
  for (const s of SENTINELS) {
    const out = await redisCli(s, 26379, [
      'SENTINEL',
      'get-master-addr-by-name',
      REDIS_MASTER_NAME,
    ]);
    const host = out?.split('\n')[0];
    if (host) return host;
  }
  return null;
}
