import { readFileSync } from 'node:fs';
import https from 'node:https';
import {
  ALERTMANAGER_URL,
  CA_CERT,
  LOGS_URL,
  OPS_CREDENTIALS,
  PROMETHEUS_URL,
  PUSHGATEWAY_URL,
} from './endpoints';
import { httpRequest, type Reply, type RequestOptions } from './http';

/**
 * Access to the operators' endpoints (Prometheus, Alertmanager, the Pushgateway, the log store's
 * UI and API). The lab's edge serves them over TLS with the lab CA's certificate and asks for
 * basic auth; `npm run lab` writes the credentials to .lab/ops.json (0600)
 * (docs/adr/0208-ops-endpoints-behind-the-edge.md). The clients of this package reach those
 * endpoints through `opsRequest`, which adds the CA and the credentials, read once per process,
 * and only for the lab's own operations origins: any other server gets neither.
 */
export interface OpsCredentials {
  username: string;
  password: string;
}

/** An HAProxy userlist name is written into its configuration: letters, digits, `_` and `-` only. */
const USERNAME = /^[a-z][a-z0-9_-]{0,31}$/;
/** Printable ASCII without spaces: it goes to `openssl passwd` on one line and into a header. */
const PASSWORD = /^[\x21-\x7e]{16,256}$/;

/** Checks a credentials file's text; the error names the file, never the values. */
export function parseOpsCredentials(
  text: string,
  source = 'the operations credentials',
): OpsCredentials {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new Error(`${source} is not JSON: expected {"username": ..., "password": ...}`);
  }
  const o = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
  if (typeof o.username !== 'string' || !USERNAME.test(o.username))
    throw new Error(`${source}: "username" must match ${USERNAME.source}`);
  if (typeof o.password !== 'string' || !PASSWORD.test(o.password))
    throw new Error(`${source}: "password" must be 16 to 256 printable characters without spaces`);
  return { username: o.username, password: o.password };
}

/** Reads and checks a credentials file (by default the lab's .lab/ops.json). */
export function readOpsCredentials(file = OPS_CREDENTIALS): OpsCredentials {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new Error(`no operations credentials at ${file} (${code}): \`npm run lab\` makes them`);
  }
  return parseOpsCredentials(text, file);
}

export const basicAuthorization = (c: OpsCredentials): string =>
  `Basic ${Buffer.from(`${c.username}:${c.password}`, 'utf8').toString('base64')}`;

/** Which origins are operations endpoints, the CA they are trusted with, and the credentials. */
export interface OpsSettings {
  origins: string[];
  caFile: string;
  credentialsFile: string;
}

/** The lab's own: its four operations URLs, as 127.0.0.1 and as localhost. */
export const LAB_OPS: OpsSettings = {
  origins: [PROMETHEUS_URL, ALERTMANAGER_URL, PUSHGATEWAY_URL, LOGS_URL].flatMap((url) => {
    const u = new URL(url);
    return [u.origin, `${u.protocol}//localhost:${u.port}`];
  }),
  caFile: CA_CERT,
  credentialsFile: OPS_CREDENTIALS,
};

let settings: OpsSettings = LAB_OPS;
let access: { agent: https.Agent; authorization: string } | null = null;

/**
 * Points this process's clients at other operations endpoints (a test's own server); called
 * without an argument, back at the lab's. The files are read again at the next request.
 */
export function useOpsSettings(s: OpsSettings = LAB_OPS): void {
  settings = { ...s, origins: s.origins.map((o) => new URL(o).origin) };
  access = null;
}

/** Whether a URL is one of the operations endpoints (and so gets the CA and the credentials). */
export function isOpsUrl(url: string | URL): boolean {
  return settings.origins.includes((typeof url === 'string' ? new URL(url) : url).origin);
}

/**
 * The lab CA's agent and the Authorization header, read once (and again after `useOpsSettings`).
 * Throws a message that says how to get them when a file is missing: a tool can call it before
 * its first request to tell "no credentials" from "the endpoint is down".
 */
export function loadOpsAccess(): { agent: https.Agent; authorization: string } {
  if (access) return access;
  let ca: Buffer;
  try {
    ca = readFileSync(settings.caFile);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new Error(`no lab CA at ${settings.caFile} (${code}): \`npm run lab\` makes it`);
  }
  const authorization = basicAuthorization(readOpsCredentials(settings.credentialsFile));
  // No keep-alive: these calls are a few per second at most, and nothing is left open.
  access = { agent: new https.Agent({ ca, keepAlive: false }), authorization };
  return access;
}

/**
 * `httpRequest` for an operations endpoint: the lab CA and the credentials are added when the
 * URL is one of the operations origins; any other URL (a local test server) is sent as it is.
 * A caller's own agent or Authorization header wins.
 */
export async function opsRequest(url: string | URL, o: RequestOptions = {}): Promise<Reply> {
  const u = typeof url === 'string' ? new URL(url) : url;
  if (!isOpsUrl(u)) return httpRequest(u, o);
  const a = loadOpsAccess();
  return httpRequest(u, {
    ...o,
    agent: o.agent ?? a.agent,
    headers: { authorization: a.authorization, ...o.headers },
  });
}
