import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageRef } from '@dhakacart/images';
import { psqlExec } from '../psql';
import { docker, mustDocker, sleep } from '../sh';
import { ensureBackupTls } from '../tls';

/** The api's schema (app/api/migrations), the `-- Up Migration` part of each file, in order. */
export function apiSchemaSql(): string {
  const dir = join(__dirname, '..', '..', '..', 'app', 'api', 'migrations');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8').split(/^-- Down Migration/m)[0]!)
    .join('\n');
}

export interface Standalone {
  id: string;
  network: string;
  pgContainer: string;
  backupContainer: string;
  etcdContainer: string;
  volumes: string[];
  secretsDir: string;
  /** Removes every container, network, volume and file this setup made. */
  cleanup(): Promise<void>;
}

export interface StandaloneOptions {
  archiveTimeout?: string;
  walStream?: boolean;
  sharedBuffers?: string;
}

/**
 * A lab-shaped backup setup without the lab: one Patroni member (the project's patroni image,
 * with its etcd) archiving to the real backup service (images/pgbackrest), on a throwaway
 * internal network, with the api's schema applied. Secrets are throwaway files (the lab uses
 * Swarm secrets with the same names).
 */
export async function startStandalone(opts: StandaloneOptions = {}): Promise<Standalone> {
  const id = `bk-${randomBytes(4).toString('hex')}`;
  const secretsDir = mkdtempSync(join(tmpdir(), `${id}-`));
  const tls = await ensureBackupTls(join(secretsDir, 'ca'), ['backup'], ['pg1']);
  const secrets: Record<string, string> = {
    pg_superuser_password: randomBytes(24).toString('base64url'),
    pg_replication_password: randomBytes(24).toString('base64url'),
    patroni_api_password: randomBytes(24).toString('base64url'),
    db_password: randomBytes(24).toString('base64url'),
    backup_cipher_pass: randomBytes(32).toString('base64url'),
  };
  const files = join(secretsDir, 'secrets');
  await mustDocker([
    'network',
    'create',
    '--internal',
    '--label',
    `dhakacart.backup.test=${id}`,
    id,
  ]);
  const made: { containers: string[]; volumes: string[] } = { containers: [], volumes: [] };
  const cleanup = async () => {
    for (const c of made.containers) await docker(['rm', '-f', '-v', c]);
    for (const v of made.volumes) await docker(['volume', 'rm', '-f', v]);
    await docker(['network', 'rm', id]);
    rmSync(secretsDir, { recursive: true, force: true });
  };
  try {
    // Readable by the containers' postgres user; a throwaway directory removed by cleanup().
    chmodSync(secretsDir, 0o755);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(files, { mode: 0o755 });
    for (const [name, value] of Object.entries(secrets))
      writeFileSync(join(files, name), value + '\n', { mode: 0o644 });
    for (const [name, path] of Object.entries(tls))
      writeFileSync(join(files, name), readFileSync(path), { mode: 0o644 });

    const run = async (name: string, args: string[]) => {
      const c = `${id}-${name}`;
      made.containers.push(c);
      await mustDocker([
        'run',
        '-d',
        '--name',
        c,
        '--network',
        id,
        '--network-alias',
        name,
        ...args,
      ]);
      return c;
    };
    const etcd = await run('etcd1', [
      '-e',
      'MEMBER_NAME=etcd1',
      '-e',
      'CLUSTER_MEMBERS=etcd1',
      imageRef('etcd'),
    ]);
    const vols = ['repo1', 'repo2', 'walstream'].map((v) => `${id}-${v}`);
    made.volumes.push(...vols);
    const backup = await run('backup', [
      '-e',
      'PG_HOSTS=pg1',
      '-e',
      'SCHEDULE=off',
      '-e',
      'TICK_SECONDS=5',
      '-e',
      `WAL_STREAM=${opts.walStream ? 'on' : 'off'}`,
      '-v',
      `${files}:/run/secrets:ro`,
      '-v',
      `${vols[0]}:/var/lib/pgbackrest/repo1`,
      '-v',
      `${vols[1]}:/var/lib/pgbackrest/repo2`,
      '-v',
      `${vols[2]}:/var/lib/pgbackrest/walstream`,
      '--tmpfs',
      '/run/pgbackrest:mode=1777',
      imageRef('pgbackrest'),
    ]);
    const pgVol = `${id}-pg1`;
    made.volumes.push(pgVol);
    const pg = await run('pg1', [
      '-e',
      'PATRONI_NAME=pg1',
      '-e',
      'ETCD_HOSTS=etcd1:2379',
      '-e',
      'PATRONI_SYNC_STRICT=false',
      '-e',
      'BACKUP_HOST=backup',
      '-e',
      `PG_ARCHIVE_TIMEOUT=${opts.archiveTimeout ?? '5s'}`,
      '-e',
      `PG_SHARED_BUFFERS=${opts.sharedBuffers ?? '64MB'}`,
      '-e',
      'APP_DB_PASSWORD_FILE=/run/secrets/db_password',
      '-v',
      `${files}:/run/secrets:ro`,
      '-v',
      `${pgVol}:/var/lib/postgresql/data`,
      '--tmpfs',
      '/run/patroni:mode=1777',
      imageRef('patroni'),
    ]);
    // Patroni bootstraps the cluster and post-bootstrap creates the dhakacart database.
    const deadline = Date.now() + 120_000;
    for (;;) {
      try {
        const rows = await psqlExec(pg, 'SELECT pg_is_in_recovery()', 'dhakacart');
        if (rows[0] === 'f') break;
      } catch {
        /* not up yet */
      }
      if (Date.now() > deadline) {
        const logs = await docker(['logs', '--tail', '20', pg]);
        throw new Error(`the standalone Patroni member did not lead in time: ${logs.stderr}`);
      }
      await sleep(1000);
    }
    await psqlExec(pg, apiSchemaSql(), 'dhakacart');
    return {
      id,
      network: id,
      pgContainer: pg,
      backupContainer: backup,
      etcdContainer: etcd,
      volumes: [...made.volumes],
      secretsDir,
      cleanup,
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}
