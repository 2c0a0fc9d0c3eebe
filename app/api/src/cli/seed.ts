import { parseArgs } from 'node:util';
import { loadDbConfig } from '../config';
import { runCli } from './run-cli';
import { createPool } from '../data/pool';
import { seedCatalog } from '../seed/seed';

const HELP = `Usage: seed

Loads the deterministic demo catalogue (12 categories, 2,000+ products, prices in BDT) into
the database. Idempotent: existing products are left untouched. Reads DB_* and DB_PASSWORD_FILE.
`;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const pool = createPool(loadDbConfig());
  try {
    process.stdout.write(JSON.stringify(await seedCatalog(pool)) + '\n');
    return 0;
  } finally {
    await pool.end();
  }
}

runCli('seed', main);
