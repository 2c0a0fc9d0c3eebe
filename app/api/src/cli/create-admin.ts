import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadDbConfig } from '../config';
import { runCli } from './run-cli';
import { createPool } from '../data/pool';
import { usersRepo } from '../data/users-repo';
import { hashPassword, isCommonPassword } from '../domain/passwords';

const HELP = `Usage: create-admin --email <email> --password-file <path> [--name <name>] [--role admin|staff]

Creates the first admin (or staff) account, or resets its password and role when the email
exists. The password is read from a file (e.g. a Swarm or Kubernetes secret); there are no
default credentials. Database settings come from DB_* and DB_PASSWORD_FILE.
`;

const args = z
  .object({
    email: z.email(),
    'password-file': z.string().min(1),
    name: z.string().min(1).max(100).default('Store Admin'),
    role: z.enum(['admin', 'staff']).default('admin'),
  })
  .strict();

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      'password-file': { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const { help: _h, ...rest } = values;
  const parsed = args.safeParse(rest);
  if (!parsed.success) {
    process.stderr.write(
      `create-admin: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}\n\n${HELP}`,
    );
    return 2;
  }
  const a = parsed.data;
  const password = readFileSync(a['password-file'], 'utf8').trim();
  if (password.length < 12) {
    process.stderr.write('create-admin: the password in the file must be at least 12 characters\n');
    return 2;
  }
  if (isCommonPassword(password)) {
    process.stderr.write(
      'create-admin: that password is one of the most common ones; choose another\n',
    );
    return 2;
  }
  const pool = createPool(loadDbConfig());
  try {
    const user = await usersRepo(pool).upsertWithRole({
      email: a.email.toLowerCase(),
      name: a.name,
      passwordHash: await hashPassword(password),
      role: a.role,
    });
    process.stdout.write(JSON.stringify({ user }) + '\n');
    return 0;
  } finally {
    await pool.end();
  }
}

runCli('create-admin', main);
