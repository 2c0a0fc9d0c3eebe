import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { docker, run } from '@dhakacart/lab-client';
import { ADMIN_CREDENTIALS } from './paths';

export const ADMIN_EMAIL = 'admin@dhakacart.lab';

/** Secrets the stack reads as files; each is made once from the CSPRNG and never printed. */
export const GENERATED_SECRETS = [
  'dhakacart_db_password',
  'dhakacart_redis_password',
  'dhakacart_session_key',
  // The HA database (stack.data.yml): PostgreSQL superuser, streaming replication, and the
  // Patroni REST API's unsafe endpoints (switchover, restart).
  'dhakacart_pg_superuser_password',
  'dhakacart_pg_replication_password',
  'dhakacart_patroni_api_password',
];

export const secretExists = async (name: string) =>
  (await run('docker', ['secret', 'inspect', name])).code === 0;

/** Creates a Swarm secret from a value passed on stdin (never argv, never a file). */
export async function createSecret(
  name: string,
  value: string,
  labels: Record<string, string> = {},
) {
  const labelArgs = Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  await docker(['secret', 'create', ...labelArgs, name, '-'], { input: value });
}

export async function ensureGeneratedSecrets(): Promise<string[]> {
  const created: string[] = [];
  for (const name of GENERATED_SECRETS) {
    if (await secretExists(name)) continue;
    await createSecret(name, randomBytes(32).toString('base64url'));
    created.push(name);
  }
  return created;
}

/**
 * The admin password lives in a Swarm secret (read by the create-admin job) and in the 0600
 * credentials file for the operator. A secret's value cannot be read back, so when the file is
 * lost both are made anew and the job resets the password.
 */
export async function ensureAdminSecret(): Promise<{ secret: string; rotated: boolean }> {
  const have = (
    await run('docker', [
      'secret',
      'ls',
      '--format',
      '{{.Name}}',
      '--filter',
      'name=dhakacart_admin_password_',
    ])
  ).stdout
    .split('\n')
    .filter(Boolean)
    .sort();
  if (have.length && existsSync(ADMIN_CREDENTIALS))
    return { secret: have[have.length - 1]!, rotated: false };
  const password = randomBytes(18).toString('base64url');
  const secret = `dhakacart_admin_password_${Date.now().toString(36)}`;
  await createSecret(secret, password);
  mkdirSync(dirname(ADMIN_CREDENTIALS), { recursive: true, mode: 0o700 });
  writeFileSync(
    ADMIN_CREDENTIALS,
    JSON.stringify({ email: ADMIN_EMAIL, password }, null, 2) + '\n',
    { mode: 0o600 },
  );
  for (const old of have) await run('docker', ['secret', 'rm', old]);
  return { secret, rotated: true };
}

export async function ensureEdgeTlsSecret(pem: string, fingerprint: string): Promise<string> {
  const name = `dhakacart_edge_tls_${fingerprint}`;
  if (!(await secretExists(name))) await createSecret(name, pem);
  return name;
}
