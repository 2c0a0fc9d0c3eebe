import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './sh';

/**
 * The backup service's TLS material, by the Swarm secret name each file becomes. pgBackRest
 * authenticates both ways with certificates from one private CA: the Patroni members present
 * CN=pgbackrest-client to the repository host (archive-push), and the repository host presents
 * CN=pgbackrest-repo to the members' TLS servers (backups read their data directories).
 */
export const BACKUP_TLS_SECRETS = [
  'backup_tls_ca',
  'backup_tls_repo_crt',
  'backup_tls_repo_key',
  'backup_tls_pg_crt',
  'backup_tls_pg_key',
] as const;
export type BackupTlsFiles = Record<(typeof BACKUP_TLS_SECRETS)[number], string>;

async function openssl(args: string[]) {
  const r = await run('openssl', args);
  if (r.code !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr.trim().slice(-300)}`);
}

async function issue(dir: string, name: string, cn: string, hosts: string[]) {
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const crt = join(dir, `${name}.crt`);
  const ext = join(dir, `${name}.ext`);
  writeFileSync(
    ext,
    `subjectAltName=${hosts.map((h) => `DNS:${h}`).join(',')}\n` +
      'extendedKeyUsage=serverAuth,clientAuth\nkeyUsage=critical,digitalSignature\nbasicConstraints=CA:FALSE\n',
  );
  await openssl(
    ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'].concat([
      '-keyout',
      key,
      '-out',
      csr,
      '-subj',
      `/O=DhakaCart Lab/CN=${cn}`,
    ]),
  );
  await openssl(
    ['x509', '-req', '-in', csr, '-CA', join(dir, 'ca.crt'), '-CAkey', join(dir, 'ca.key')].concat([
      '-CAcreateserial',
      '-out',
      crt,
      '-days',
      '825',
      '-extfile',
      ext,
    ]),
  );
  return { crt, key };
}

/**
 * Makes (once) a private CA in `dir` (0700) and the two certificates. `repoHosts` are the
 * names the members use for the backup service, `pgHosts` the names it uses for the members.
 */
export async function ensureBackupTls(
  dir: string,
  repoHosts: string[],
  pgHosts: string[],
): Promise<BackupTlsFiles> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ca = join(dir, 'ca.crt');
  if (!existsSync(ca) || !existsSync(join(dir, 'ca.key')))
    await openssl([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      join(dir, 'ca.key'),
      '-out',
      ca,
      '-days',
      '825',
      '-subj',
      '/O=DhakaCart Lab/CN=DhakaCart Backup CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
  const repo = existsSync(join(dir, 'repo.crt'))
    ? { crt: join(dir, 'repo.crt'), key: join(dir, 'repo.key') }
    : await issue(dir, 'repo', 'pgbackrest-repo', repoHosts);
  const pg = existsSync(join(dir, 'pg.crt'))
    ? { crt: join(dir, 'pg.crt'), key: join(dir, 'pg.key') }
    : await issue(dir, 'pg', 'pgbackrest-client', pgHosts);
  return {
    backup_tls_ca: ca,
    backup_tls_repo_crt: repo.crt,
    backup_tls_repo_key: repo.key,
    backup_tls_pg_crt: pg.crt,
    backup_tls_pg_key: pg.key,
  };
}
