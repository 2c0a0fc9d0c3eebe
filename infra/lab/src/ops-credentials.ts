import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { must, readOpsCredentials, run, type OpsCredentials } from '@dhakacart/lab-client';
import { OPS_CREDENTIALS, OPS_USERS_FILE } from './paths';
import { createSecret, secretExists } from './secrets';

/**
 * The operators' credentials for the edge's operations endpoints (Prometheus, Alertmanager, the
 * Pushgateway, the log store): a random password in .lab/ops.json (0600) for the operator and the
 * lab's tools, and its SHA-512 crypt hash in an HAProxy userlist, which the edge reads from a
 * Swarm secret named by the fragment's content (docs/adr/0208-ops-endpoints-behind-the-edge.md).
 */
export const OPS_USERNAME = 'ops';
/** The userlist `infra/lab/haproxy/edge.cfg` checks (`http_auth(ops)`). */
export const OPS_USERLIST = 'ops';
export const OPS_SECRET_PREFIX = 'dhakacart_ops_users_';

const SHA512_CRYPT = /^\$6\$([./0-9A-Za-z]{1,16})\$[./0-9A-Za-z]{86}$/;

/** crypt(3) SHA-512 of a password (`openssl passwd -6`; the password goes on stdin, never argv). */
export async function sha512Crypt(password: string, salt: string): Promise<string> {
  if (!/^[./0-9A-Za-z]{8,16}$/.test(salt))
    throw new Error('a crypt salt is 8 to 16 of [./0-9A-Za-z]');
  const hash = (
    await must('openssl', ['passwd', '-6', '-salt', salt, '-stdin'], { input: `${password}\n` })
  ).trim();
  if (!SHA512_CRYPT.test(hash)) throw new Error('openssl passwd -6 gave no SHA-512 crypt hash');
  return hash;
}

/** A fresh random salt for crypt(3): 16 characters of its alphabet. */
const newSalt = () =>
  randomBytes(12).toString('base64').replace(/\+/g, '.').replace(/=/g, '').slice(0, 16);

/** The HAProxy configuration fragment: one userlist with the operator and a hashed password. */
export async function opsUsersFragment(c: OpsCredentials, salt = newSalt()): Promise<string> {
  return [
    '# The operators of the lab edge (infra/lab/haproxy/edge.cfg), made by `npm run lab`:',
    '# the password is in .lab/ops.json (0600); this is its SHA-512 crypt hash.',
    `userlist ${OPS_USERLIST}`,
    `    user ${c.username} password ${await sha512Crypt(c.password, salt)}`,
    '',
  ].join('\n');
}

/** Whether a fragment is one userlist `ops` whose only user is these credentials. */
export async function fragmentAccepts(fragment: string, c: OpsCredentials): Promise<boolean> {
  const lines = fragment.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
  if (lines.length !== 2 || lines[0]!.trim() !== `userlist ${OPS_USERLIST}`) return false;
  const m = /^\s+user (\S+) password (\S+)$/.exec(lines[1]!);
  const salt = m ? SHA512_CRYPT.exec(m[2]!)?.[1] : undefined;
  if (!m || m[1] !== c.username || !salt || salt.length < 8) return false;
  return (await sha512Crypt(c.password, salt)) === m[2];
}

/** The Swarm secret's name: a fingerprint of its content (a secret cannot change in place). */
export const opsSecretName = (fragment: string) =>
  `${OPS_SECRET_PREFIX}${createHash('sha256').update(fragment).digest('hex').slice(0, 12)}`;

function writePrivate(file: string, text: string) {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

export interface OpsCredentialFiles {
  credentials: string;
  fragment: string;
}

/**
 * The credentials file and the fragment, made when absent. An existing credentials file is kept
 * (a malformed one is an error that says what to do); a fragment that does not match it is made
 * anew. Returns the fragment and whether the credentials are new.
 */
export async function ensureOpsFiles(
  files: OpsCredentialFiles = { credentials: OPS_CREDENTIALS, fragment: OPS_USERS_FILE },
): Promise<{ fragment: string; created: boolean }> {
  let creds: OpsCredentials;
  let created = false;
  if (existsSync(files.credentials)) {
    try {
      creds = readOpsCredentials(files.credentials);
    } catch (e) {
      throw new Error(
        `${(e as Error).message}; delete ${files.credentials} and run \`npm run lab\` again for new operator credentials`,
      );
    }
  } else {
    creds = { username: OPS_USERNAME, password: randomBytes(24).toString('base64url') };
    writePrivate(files.credentials, JSON.stringify(creds, null, 2) + '\n');
    created = true;
  }
  const kept = existsSync(files.fragment) ? readFileSync(files.fragment, 'utf8') : null;
  if (kept !== null && (await fragmentAccepts(kept, creds))) return { fragment: kept, created };
  const fragment = await opsUsersFragment(creds);
  writePrivate(files.fragment, fragment);
  return { fragment, created };
}

/** `lab up`: the files, and the Swarm secret the edge mounts; returns the secret's name. */
export async function ensureOpsSecret(): Promise<{ secret: string; created: boolean }> {
  const { fragment, created } = await ensureOpsFiles();
  const secret = opsSecretName(fragment);
  if (!(await secretExists(secret))) await createSecret(secret, fragment);
  return { secret, created };
}

/**
 * Older fragments (a password that no longer works) are removed once the edge no longer uses
 * them; one still in use is left for the next run (Swarm refuses to remove it).
 */
export async function pruneOpsSecrets(keep: string): Promise<string[]> {
  const names = (
    await run('docker', [
      'secret',
      'ls',
      '--format',
      '{{.Name}}',
      '--filter',
      `name=${OPS_SECRET_PREFIX}`,
    ])
  ).stdout
    .split('\n')
    .filter((n) => n.startsWith(OPS_SECRET_PREFIX) && n !== keep);
  const removed: string[] = [];
  for (const n of names) if ((await run('docker', ['secret', 'rm', n])).code === 0) removed.push(n);
  return removed;
}
