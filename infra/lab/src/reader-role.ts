import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { psql } from '@dhakacart/lab-client';
import { READER_CREDENTIALS } from './paths';

/** The read-only role the invariants checker logs in as; it can read every table, write none. */
export const READER_ROLE = 'dhakacart_reader';
/** What marks a database as the lab's: the checker refuses any other. */
export const LAB_DATABASE_MARK = 'dhakacart-lab';

/**
 * SQL that creates (or resets) the reader role with `password` and marks the database as a lab
 * database. Idempotent; run as a superuser on the primary. The statement is not logged.
 */
export function readerRoleSql(password: string, database = 'dhakacart'): string {
  if (!/^[A-Za-z0-9_-]{16,}$/.test(password)) throw new Error('unusable reader password');
  return `SET log_statement = 'none';
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${READER_ROLE}') THEN
    CREATE ROLE ${READER_ROLE} LOGIN;
  END IF;
END $$;
ALTER ROLE ${READER_ROLE} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD '${password}';
ALTER ROLE ${READER_ROLE} SET default_transaction_read_only = on;
GRANT pg_read_all_data TO ${READER_ROLE};
COMMENT ON DATABASE ${database} IS '${LAB_DATABASE_MARK}';
`;
}

export interface ReaderCredentials {
  username: string;
  password: string;
}

/**
 * Makes sure the reader role exists with the password in .lab/reader.json (0600), creating the
 * file when it is missing. Runs on the current primary through psql inside its container.
 */
export async function ensureReaderRole(leader: string): Promise<ReaderCredentials> {
  let creds: ReaderCredentials | null = null;
  if (existsSync(READER_CREDENTIALS)) {
    try {
      creds = JSON.parse(readFileSync(READER_CREDENTIALS, 'utf8')) as ReaderCredentials;
    } catch {
      creds = null;
    }
  }
  if (!creds || creds.username !== READER_ROLE || !creds.password) {
    creds = { username: READER_ROLE, password: randomBytes(24).toString('base64url') };
    mkdirSync(dirname(READER_CREDENTIALS), { recursive: true, mode: 0o700 });
    writeFileSync(READER_CREDENTIALS, JSON.stringify(creds, null, 2) + '\n', { mode: 0o600 });
  }
  await psql(readerRoleSql(creds.password), leader);
  return creds;
}
