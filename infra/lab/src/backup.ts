import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BACKUP_TLS_SECRETS, ensureBackupTls } from '@dhakacart/backup';
import { STATE_DIR } from './paths';
import { createSecret, secretExists } from './secrets';

/** The images stack.backup.yml runs (tools/images/src/manifest.ts); patroni is the data tier's. */
export const BACKUP_IMAGES = ['pgbackrest'] as const;

/** Local, git-ignored: the backup CA and the escrow hand-off copy of the cipher passphrase. */
export const BACKUP_STATE = join(STATE_DIR, 'backup');
export const CIPHER_ESCROW_FILE = join(BACKUP_STATE, 'cipher-pass.escrow');

/** What stack.backup.yml interpolates. */
export function backupStackEnv(refs: Record<string, string>): Record<string, string> {
  const ref = refs.pgbackrest;
  if (!ref) throw new Error('no image reference for pgbackrest');
  return { PGBACKREST_IMAGE: ref };
}

/**
 * The backup service's secrets, each made once: the repositories' cipher passphrase (from the
 * CSPRNG; also written 0600 to .lab/backup/cipher-pass.escrow for the operator to escrow
 * outside the lab, docs/adr/0302-lab-backups.md) and the TLS certificates of both sides.
 * A Swarm secret cannot be read back, so an existing passphrase secret is never replaced:
 * a new key would make every backup taken so far unreadable.
 */
export async function ensureBackupSecrets(): Promise<string[]> {
  const created: string[] = [];
  mkdirSync(BACKUP_STATE, { recursive: true, mode: 0o700 });
  if (!(await secretExists('dhakacart_backup_cipher_pass'))) {
    // After the loss of the lab, the operator puts the escrowed key back in this file first
    // (docs/runbooks/restore-after-region-loss.md): the new lab then reads the old backups.
    const escrowed = existsSync(CIPHER_ESCROW_FILE)
      ? readFileSync(CIPHER_ESCROW_FILE, 'utf8').trim()
      : '';
    const pass = escrowed || randomBytes(32).toString('base64url');
    if (!escrowed) writeFileSync(CIPHER_ESCROW_FILE, pass + '\n', { mode: 0o600 });
    chmodSync(CIPHER_ESCROW_FILE, 0o600);
    await createSecret('dhakacart_backup_cipher_pass', pass);
    created.push(
      escrowed
        ? 'dhakacart_backup_cipher_pass (from the escrow file)'
        : 'dhakacart_backup_cipher_pass',
    );
  }
  const missing: (typeof BACKUP_TLS_SECRETS)[number][] = [];
  for (const name of BACKUP_TLS_SECRETS)
    if (!(await secretExists(`dhakacart_${name}`))) missing.push(name);
  if (missing.length) {
    const files = await ensureBackupTls(
      join(BACKUP_STATE, 'ca'),
      ['backup'],
      ['pg1', 'pg2', 'pg3'],
    );
    for (const name of missing) {
      await createSecret(`dhakacart_${name}`, readFileSync(files[name], 'utf8'));
      created.push(`dhakacart_${name}`);
    }
  }
  return created;
}
