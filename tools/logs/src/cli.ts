/**
 * `npm run logs -- <command>`: the shop's log questions against the lab's VictoriaLogs.
 * All logic is in runCli (testable with injected streams and dependencies); the bottom of the
 * file only wires it to the process.
 */
import { parseArgs } from 'node:util';
import { decimalNumberOf } from '@dhakacart/numeric-text';
import {
  assertLocalUrl,
  isOpsUrl,
  loadOpsAccess,
  LOGS_URL,
  opsRequest,
} from '@dhakacart/lab-client';
import {
  LogStoreDownError,
  LogStoreQueryError,
  VictoriaLogsClient,
  type Transport,
} from './client';
import {
  DirectoryDownError,
  directoryFromEnv,
  labCustomerDirectory,
  type CustomerDirectory,
} from './directory';
import {
  findCustomer,
  findErrors,
  findRequest,
  resolveCustomer,
  trendOf,
  UnknownCustomerError,
  type LogLine,
} from './investigate';
import {
  parseCustomer,
  parseRequestId,
  parseService,
  parseSince,
  stepFor,
  UsageError,
} from './params';
import { renderTable, renderTrend } from './render';

export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  badSince: 3,
  empty: 4,
  unknownCustomer: 5,
  storeDown: 6,
  storeRefused: 7,
  directoryDown: 8,
} as const;

/** The lab's store through its edge: TLS with the lab CA, the operators' credentials (.lab/ops.json). */
export const DEFAULT_URL = LOGS_URL;

export const HELP = `Usage: npm run logs -- <command> [options]

Searches the lab's central logs (VictoriaLogs; see docs/lab/logs.md).

Commands:
  errors [--since 1h] [--service api]   error lines, newest first (pino level >= error,
                                         HTTP 5xx, or error/fatal/panic in a plain line)
  customer <email | user id> [--since 24h]
                                         one customer's requests, oldest first; an email is
                                         looked up in the shop's database (never sent to the
                                         log store, never printed)
  request <request id> [--since 24h]     one request across the edge and the api (the id is
                                         the X-Request-Id response header)
  trend [--since 6h]                     requests and errors per minute per service, as a chart

Options:
  --since <n><s|m|h|d|w>  how far back to look (e.g. 30m, 1h, 24h, 7d; at most 31d)
  --service <name>        errors: one service of the stack (api, edge, web, pg1, ...)
  --json                  machine-readable output on stdout
  --timeout <seconds>     give up on the log store after this long (default 10, at most 60)
  -h, --help              this help

Environment:
  LOGS_URL     the store (default ${DEFAULT_URL}, through the lab's edge with the lab CA
               and the operators' credentials from .lab/ops.json; without them, exit 1
               saying how to get them); this machine only
  LOGS_STACK   the Swarm stack whose logs to search (default dhakacart)
  PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD_FILE
               the shop's database, for customer <email> (default: the lab's, read
               through one of its members' psql)

Exit codes:
  0  found something           4  nothing matched (empty result)
  1  unexpected failure        5  unknown customer (no account has that email)
  2  bad command or argument   6  log store down or not answering within --timeout
  3  unparseable --since       7  log store refused the query
                               8  the shop's database unavailable (customer <email>)
`;

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  env: NodeJS.ProcessEnv;
  /** The customer directory for customer <email>; the default reads PG* from the environment. */
  directory?: (timeoutMs: number) => CustomerDirectory | null;
}

/**
 * The log store's requests through lab-client's `opsRequest`: TLS with the lab CA and basic auth
 * for the lab's own operations origins, a plain request to any other local URL. A time-out
 * rejects with `code` ETIMEDOUT, which the client reports as no answer within the deadline.
 */
const opsTransport: Transport = async (url, o) => {
  const r = await opsRequest(url, {
    method: o.method,
    headers: o.headers,
    rawBody: o.body,
    timeoutMs: o.timeoutMs,
  });
  return { status: r.status, text: r.text };
};

const DEFAULT_SINCE: Record<string, string> = {
  errors: '1h',
  customer: '24h',
  request: '24h',
  trend: '6h',
};

export async function runCli(argv: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        since: { type: 'string' },
        service: { type: 'string' },
        json: { type: 'boolean' },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    io.err(`error: ${(e as Error).message}\n\n${HELP}`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (values.help) {
    io.out(HELP);
    return EXIT.ok;
  }
  if (!command || !(command in DEFAULT_SINCE)) {
    io.err(`${command ? `error: unknown command "${command}"` : 'error: no command'}\n\n${HELP}`);
    return EXIT.usage;
  }
  const json = Boolean(values.json);
  const fail = (code: number, kind: string, message: string) => {
    if (json) io.out(JSON.stringify({ error: { code: kind, message } }) + '\n');
    io.err(`error: ${message}\n`);
    return code;
  };

  let since;
  try {
    since = parseSince(values.since ?? DEFAULT_SINCE[command]!);
  } catch (e) {
    return fail(EXIT.badSince, 'bad_since', (e as Error).message);
  }
  const timeoutS = decimalNumberOf(values.timeout ?? '10');
  if (!Number.isFinite(timeoutS) || timeoutS <= 0 || timeoutS > 60) {
    return fail(EXIT.usage, 'bad_input', '--timeout must be a number of seconds between 0 and 60');
  }
  const timeoutMs = timeoutS * 1000;
  const baseUrl = io.env.LOGS_URL || DEFAULT_URL;
  if (!/^https?:\/\/[^\s/]+(\/.*)?$/.test(baseUrl)) {
    return fail(EXIT.usage, 'bad_input', `LOGS_URL "${baseUrl}" is not an http(s) URL`);
  }
  try {
    assertLocalUrl(baseUrl);
  } catch (e) {
    return fail(EXIT.usage, 'bad_input', `LOGS_URL: ${(e as Error).message}`);
  }
  const stack = io.env.LOGS_STACK || 'dhakacart';
  if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(stack)) {
    return fail(EXIT.usage, 'bad_input', `LOGS_STACK "${stack}" is not a stack name`);
  }
  // The lab's store through its edge: the lab CA and the operators' credentials, read before the
  // first request so that a missing file is not mistaken for a store that is down. Any other
  // store (a test's, plain HTTP) gets neither: opsRequest adds them for the lab's origins only.
  if (isOpsUrl(baseUrl)) {
    try {
      loadOpsAccess();
    } catch (e) {
      return fail(EXIT.failed, 'no_credentials', (e as Error).message);
    }
  }
  const ctx = {
    client: new VictoriaLogsClient({ baseUrl, timeoutMs, transport: opsTransport }),
    stack,
  };

  try {
    if (command === 'trend') {
      if (args.length) throw new UsageError('trend takes no arguments');
      const t = await trendOf(ctx, { since, step: stepFor(since) });
      if (json) io.out(JSON.stringify(t, null, 2) + '\n');
      else io.out(renderTrend(t));
      return t.services.length ? EXIT.ok : EXIT.empty;
    }
    let lines: LogLine[];
    let what: string;
    let extra: Record<string, string> = {};
    if (command === 'errors') {
      if (args.length) throw new UsageError('errors takes no arguments (use --service)');
      const service = values.service === undefined ? undefined : parseService(values.service);
      lines = await findErrors(ctx, { since, service });
      what = `error lines${service ? ` from ${service}` : ''} in the last ${since.text}`;
    } else if (command === 'customer') {
      if (args.length !== 1) throw new UsageError('customer takes one email address or user id');
      const ref = parseCustomer(args[0]);
      const userId = await resolveCustomer(ref, () => {
        // PGHOST names a database; without it, the lab's own (through a member's psql).
        const dir = (io.directory ?? ((t) => directoryFromEnv(io.env, t)))(timeoutMs);
        return dir ?? labCustomerDirectory();
      });
      lines = await findCustomer(ctx, { userId, since });
      what = `log lines of customer ${userId} in the last ${since.text}`;
      extra = { userId };
    } else {
      if (args.length !== 1) throw new UsageError('request takes one request id');
      if (values.service !== undefined) throw new UsageError('--service is for errors only');
      const reqId = parseRequestId(args[0]);
      lines = await findRequest(ctx, { reqId, since });
      what = `log lines of request ${reqId} in the last ${since.text}`;
    }
    if (json)
      io.out(
        JSON.stringify({ ...extra, since: since.text, count: lines.length, lines }, null, 2) + '\n',
      );
    if (!lines.length) {
      io.err(`no ${what}\n`);
      return EXIT.empty;
    }
    if (!json) io.out(renderTable(lines) + `\n${lines.length} ${what}\n`);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof UsageError) return fail(EXIT.usage, e.code, e.message);
    if (e instanceof UnknownCustomerError) return fail(EXIT.unknownCustomer, e.code, e.message);
    if (e instanceof LogStoreDownError) return fail(EXIT.storeDown, e.code, e.message);
    if (e instanceof LogStoreQueryError) return fail(EXIT.storeRefused, e.code, e.message);
    if (e instanceof DirectoryDownError) return fail(EXIT.directoryDown, e.code, e.message);
    return fail(EXIT.failed, 'failed', (e as Error).message);
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    env: process.env,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: Error) => {
      process.stderr.write(`error: ${e.message}\n`);
      process.exitCode = EXIT.failed;
    },
  );
}
