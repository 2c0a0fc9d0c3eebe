import { join } from 'node:path';

/**
 * Where the running lab answers and where `npm run lab` keeps its local state. Every tool and
 * test reaches the lab through these, and only on this machine.
 */
export const REPO_ROOT = join(__dirname, '..', '..', '..');
/** Local, git-ignored state: the lab CA and the credentials files (0600). */
export const STATE_DIR = join(REPO_ROOT, '.lab');
export const CA_DIR = join(STATE_DIR, 'ca');
export const CA_CERT = join(CA_DIR, 'ca.crt');
export const ADMIN_CREDENTIALS = join(STATE_DIR, 'admin.json');
/** The read-only database role the invariants checker logs in as (0600). */
export const READER_CREDENTIALS = join(STATE_DIR, 'reader.json');
/** The operators' basic-auth credentials for the endpoints below, {username, password} (0600). */
export const OPS_CREDENTIALS = join(STATE_DIR, 'ops.json');
export const STACK = 'dhakacart';

export const STORE_URL = 'https://localhost:8443';
/**
 * The operators' endpoints: served only by the edge, over TLS with the lab CA's certificate and
 * behind basic auth (OPS_CREDENTIALS), and answering only on loopback
 * (docs/adr/0208-ops-endpoints-behind-the-edge.md). Their clients go through `opsRequest`.
 */
export const PROMETHEUS_URL = 'https://127.0.0.1:9090';
export const ALERTMANAGER_URL = 'https://127.0.0.1:9093';
export const PUSHGATEWAY_URL = 'https://127.0.0.1:9091';
/** VictoriaLogs' web UI and query API (stack.logging.yml), through the edge like the others. */
export const LOGS_URL = 'https://127.0.0.1:9429';
/**
 * VictoriaLogs' own port, published in host mode for the Docker engine's log driver, which posts
 * to it in plain HTTP from the host. It answers only on loopback; nothing else should use it.
 */
export const LOGS_INGEST_URL = 'http://127.0.0.1:9428';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Load, chaos and probes go only to this machine: a URL whose host is anything but loopback is
 * refused before a byte is sent.
 */
export function assertLocalUrl(url: string | URL): URL {
  const u = typeof url === 'string' ? new URL(url) : url;
  if (!LOCAL_HOSTS.has(u.hostname))
    throw new Error(`refusing to send traffic to ${u.host}: only the lab on 127.0.0.1 is a target`);
  return u;
}
