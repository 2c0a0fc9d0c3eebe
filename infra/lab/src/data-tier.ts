import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { leaderOf, patroniCluster, sleep } from '@dhakacart/lab-client';
import { LAB_ROOT } from './paths';

/** Images of the HA data tier (stack.data.yml); `haproxy` is shared with the edge. */
export const DATA_IMAGES = ['etcd', 'patroni', 'redis-ha', 'haproxy'] as const;

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
