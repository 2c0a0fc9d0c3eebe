import { join } from 'node:path';
import { REPO_ROOT, STATE_DIR } from '@dhakacart/lab-client';

export {
  ADMIN_CREDENTIALS,
  ALERTMANAGER_URL,
  CA_CERT,
  CA_DIR,
  PROMETHEUS_URL,
  READER_CREDENTIALS,
  REPO_ROOT,
  STACK,
  STATE_DIR,
  STORE_URL,
  LOGS_URL,
  LOGS_INGEST_URL,
  OPS_CREDENTIALS,
  PUSHGATEWAY_URL,
} from '@dhakacart/lab-client';
/**
 * The edge's userlist fragment (0600): the Swarm secret's content, kept so that `npm run lab`
 * finds the same secret again instead of replacing it (and restarting the edge) at every run.
 */
export const OPS_USERS_FILE = join(STATE_DIR, 'ops-users.cfg');

export const LAB_ROOT = join(REPO_ROOT, 'infra', 'lab');
/** The stack's parts, merged by `docker stack deploy -c ... -c ...` in this order. */
export const STACK_FILES = [
  'stack.yml',
  'stack.data.yml',
  'stack.monitoring.yml',
  'stack.backup.yml',
  'stack.logging.yml',
].map((f) => join(LAB_ROOT, f));
/**
 * Where one-shot jobs (migrations, seed, admin) reach PostgreSQL on the data network: the
 * router that always leads to the current Patroni primary (stack.data.yml).
 */
export const DB_SERVICE_HOST = 'pgrouter';
