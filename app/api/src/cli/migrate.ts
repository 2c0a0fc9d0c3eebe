import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { wholeNumberOf } from '@dhakacart/numeric-text';
import { runner } from 'node-pg-migrate';
import { loadDbConfig } from '../config';
import { runCli } from './run-cli';
import { pgSsl } from '../data/pool';

const HELP = `Usage: migrate <up|down> [--count N]

Runs the database migrations (node-pg-migrate, SQL files in migrations/) as a one-off step:
never from API replicas at start. Reads DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD_FILE, DB_SSL.
Concurrent runs are safe: node-pg-migrate holds an advisory lock and the second run waits.
`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { count: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const direction = positionals[0] ?? 'up';
  if (direction !== 'up' && direction !== 'down') {
    process.stderr.write(`migrate: unknown direction "${direction}"\n\n${HELP}`);
    return 2;
  }
  const count =
    values.count === undefined
      ? direction === 'down'
        ? 1
        : Infinity
      : wholeNumberOf(values.count);
  if (!Number.isInteger(count) && count !== Infinity) {
    process.stderr.write('migrate: --count must be a whole number\n');
    return 2;
  }
  const db = loadDbConfig();
  const applied = await runner({
    databaseUrl: {
      host: db.host,
      port: db.port,
      database: db.database,
      user: db.user,
      password: db.password,
      ssl: pgSsl(db),
    },
    dir: join(__dirname, '..', '..', 'migrations'),
    migrationsTable: 'pgmigrations',
    direction,
    count,
    singleTransaction: true,
    advisoryLockMode: 'wait',
    log: (m: string) => process.stderr.write(`${m}\n`),
  });
  process.stdout.write(
    JSON.stringify({ direction, applied: applied.map((m: { name: string }) => m.name) }) + '\n',
  );
  return 0;
}

runCli('migrate', main);
