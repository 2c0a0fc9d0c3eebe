import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BACKUP_TLS_SECRETS } from '@dhakacart/backup';
import { backupStackEnv } from './backup';
import { LAB_ROOT, STACK_FILES } from './paths';

// stack.backup.yml agrees with the code that deploys it, and Docker merges it into the data
// tier the way its comments say (checked with `docker stack config`, which deploys nothing).

const BACKUP_STACK = join(LAB_ROOT, 'stack.backup.yml');
const read = (f: string) => readFileSync(f, 'utf8');

test('every variable stack.backup.yml interpolates is set by backupStackEnv', () => {
  const used = new Set([...read(BACKUP_STACK).matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]!));
  expect(new Set(Object.keys(backupStackEnv({ pgbackrest: 'dhakacart/pgbackrest:test' })))).toEqual(
    used,
  );
  expect(() => backupStackEnv({})).toThrow(/pgbackrest/);
});

test('the secrets the stack names are the ones ensureBackupSecrets creates', () => {
  const doc = parse(read(BACKUP_STACK)) as { secrets: Record<string, { name: string }> };
  expect(
    Object.values(doc.secrets)
      .map((s) => s.name)
      .sort(),
  ).toEqual(
    ['dhakacart_backup_cipher_pass', ...BACKUP_TLS_SECRETS.map((n) => `dhakacart_${n}`)].sort(),
  );
});

test('merged with the data tier, each member keeps its secrets and gains the backup network', () => {
  const vars = new Set(
    STACK_FILES.flatMap((f) => [...read(f).matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]!)),
  );
  const env = { ...process.env, ...Object.fromEntries([...vars].map((v) => [v, 'x'])) };
  const out = execFileSync(
    'docker',
    ['stack', 'config', ...STACK_FILES.flatMap((f) => ['-c', f])],
    {
      env,
      encoding: 'utf8',
    },
  );
  const merged = parse(out) as {
    services: Record<
      string,
      {
        networks: Record<string, unknown>;
        secrets: { source: string }[];
        environment: Record<string, string>;
      }
    >;
    networks: Record<string, { internal?: boolean }>;
  };
  for (const m of ['pg1', 'pg2', 'pg3']) {
    const svc = merged.services[m]!;
    expect(Object.keys(svc.networks).sort()).toEqual(['backup', 'data', 'monitoring']);
    expect(svc.secrets.map((s) => s.source).sort()).toEqual([
      'backup_tls_ca',
      'backup_tls_pg_crt',
      'backup_tls_pg_key',
      'db_password',
      'patroni_api_password',
      'pg_replication_password',
      'pg_superuser_password',
    ]);
    expect(svc.environment).toMatchObject({
      BACKUP_HOST: 'backup',
      PG_ARCHIVE_TIMEOUT: '60s',
      PATRONI_NAME: m,
    });
  }
  expect(Object.keys(merged.services.backup!.networks).sort()).toEqual(['backup', 'monitoring']);
  expect(merged.networks.backup!.internal).toBe(true);
});
