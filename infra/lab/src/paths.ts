import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
export const LAB_ROOT = join(REPO_ROOT, 'infra', 'lab');
/** Local, git-ignored state: the lab CA and the admin credentials file (0600). */
export const STATE_DIR = join(REPO_ROOT, '.lab');
export const CA_DIR = join(STATE_DIR, 'ca');
export const CA_CERT = join(CA_DIR, 'ca.crt');
export const ADMIN_CREDENTIALS = join(STATE_DIR, 'admin.json');
export const STACK = 'dhakacart';
/** The stack's parts, merged by `docker stack deploy -c ... -c ...` in this order. */
export const STACK_FILES = ['stack.yml', 'stack.data.yml', 'stack.monitoring.yml'].map((f) =>
  join(LAB_ROOT, f),
);
/**
 * Where one-shot jobs (migrations, seed, admin) reach PostgreSQL on the data network: the
 * router that always leads to the current Patroni primary (stack.data.yml).
 */
export const DB_SERVICE_HOST = 'pgrouter';

export const STORE_URL = 'https://localhost:8443';
export const PROMETHEUS_URL = 'http://127.0.0.1:9090';
export const ALERTMANAGER_URL = 'http://127.0.0.1:9093';
