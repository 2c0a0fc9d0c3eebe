/**
 * Validation of everything a user types: a bad value is refused here with a message that says
 * what is accepted, before any query is built.
 */

export class UsageError extends Error {
  readonly code = 'bad_input';
}

/** What a --since value became: the canonical LogsQL/LogQL duration and its length. */
export interface Since {
  text: string;
  ms: number;
}

const UNITS: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 };
/** The lab keeps 7 days (infra/lab/stack.logging.yml -retentionPeriod); allow a little more. */
export const MAX_SINCE_MS = 31 * 86400e3;

/** `90s`, `15m`, `1h`, `24h`, `7d`, `2w`: one whole number and one unit. */
export function parseSince(raw: string): Since {
  const m = /^(\d{1,6})([smhdw])$/.exec(raw.trim());
  if (!m) {
    throw new UsageError(
      `--since "${raw}" is not a duration: use a whole number and one unit, e.g. 30m, 1h, 24h, 7d`,
    );
  }
  const ms = Number(m[1]) * UNITS[m[2]!]!;
  if (ms <= 0) throw new UsageError(`--since must be longer than zero (got "${raw}")`);
  if (ms > MAX_SINCE_MS) throw new UsageError(`--since "${raw}" is longer than 31 days`);
  return { text: `${Number(m[1])}${m[2]}`, ms };
}

/** A bucket for a chart over `since`: about `points` columns, rounded to a readable step. */
export function stepFor(since: Since, points = 60): Since {
  const steps = ['1m', '2m', '5m', '10m', '15m', '30m', '1h', '2h', '6h', '12h', '1d'].map(
    parseSince,
  );
  return steps.find((s) => since.ms / s.ms <= points) ?? steps[steps.length - 1]!;
}

/** A Swarm service's short name, as in the stack files (api, edge, pg1...). */
export function parseService(raw: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(raw)) {
    throw new UsageError(
      `--service "${raw}" is not a service name (lower-case letters, digits and dashes, e.g. api)`,
    );
  }
  return raw;
}

/** The same rule as the api and the edge apply to an incoming X-Request-Id. */
export const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function parseRequestId(raw: string | undefined): string {
  if (!raw || !REQUEST_ID.test(raw)) {
    throw new UsageError(
      'a request id is 1 to 64 letters, digits, dots, dashes or underscores (the X-Request-Id response header)',
    );
  }
  return raw;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type CustomerRef = { kind: 'email'; email: string } | { kind: 'id'; userId: string };

/** An email (resolved through the database) or a user id (a UUID, as in the users table). */
export function parseCustomer(raw: string | undefined): CustomerRef {
  const v = raw?.trim() ?? '';
  if (UUID.test(v)) return { kind: 'id', userId: v.toLowerCase() };
  // The api stores emails lower-cased (users.email CHECK); the message never repeats the input.
  if (/^[^\s@]{1,64}@[^\s@]{1,253}$/.test(v)) return { kind: 'email', email: v.toLowerCase() };
  throw new UsageError('customer must be an email address or a user id (a UUID)');
}
