import { BackupError } from './errors';
import { psqlExec } from './psql';

/** The live member that is not in recovery (the leader), asked of each in turn. */
export async function liveLeader(members: string[]): Promise<string> {
  for (const m of members) {
    try {
      const [r] = await psqlExec(m, 'SELECT pg_is_in_recovery()', 'postgres');
      if (r === 'f') return m;
    } catch {
      /* down or restarting: ask the next */
    }
  }
  throw new BackupError('labDown', 'no live database member is leading');
}

/** A member to read checksums from: a standby when there is one (synchronous: it has every
 * acknowledged commit), else the leader. Reads only, in a read-only transaction. */
export async function liveReader(members: string[]): Promise<string> {
  for (const m of members) {
    try {
      const [r] = await psqlExec(m, 'SELECT pg_is_in_recovery()', 'postgres');
      if (r === 't') return m;
    } catch {
      /* next */
    }
  }
  return liveLeader(members);
}
