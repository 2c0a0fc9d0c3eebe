import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decimalNumberOf } from '@dhakacart/numeric-text';
import { LAB_DATABASE_MARK } from '@dhakacart/lab';
import { HISTORY_DIR, readHistory, type HistoryLine } from '@dhakacart/loadtests';
import { assertSafeSource, checkInvariants, formatInvariants, RefusedSource } from './checker';
import { labSource, pgSource, SourceUnavailable, type SqlSource } from './source';

export { HISTORY_DIR };

export const INVARIANTS_HELP = `Usage: npm run --silent chaos -- invariants [options]

Checks the store's data after a fault: no acknowledged order lost, nothing oversold, no
duplicate order for one idempotency key, stock conserved per product, no order stranded
pending, no key left unanswered. Reads the lab's database as the read-only reader role
(.lab/reader.json) and the clients' history of acknowledged orders (JSON lines).

Options:
  --history FILE       the clients' history (default: the newest .lab/history/*.jsonl)
  --since TIME         only orders created since TIME (ISO 8601) count as stranded
  --stranded-after S   a pending order younger than S seconds is not stranded (default 30)
  --database-url URL   check another database instead of the lab (it must be marked as a lab
                       database, and the role must not be able to write)
  --json               print the report as JSON
  -h, --help           this help

Exit: 0 every invariant holds; 1 an invariant is broken; 2 bad input, a refused database or
role, or the database cannot be reached (never a report of zeros).
`;

function newestHistory(): string | null {
  if (!existsSync(HISTORY_DIR)) return null;
  const files = readdirSync(HISTORY_DIR)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => join(HISTORY_DIR, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return files[0] ?? null;
}

/** `chaos invariants`: returns the exit code; writes the report to stdout, problems to stderr. */
export async function invariantsCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        history: { type: 'string' },
        since: { type: 'string' },
        'stranded-after': { type: 'string' },
        'database-url': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    process.stderr.write(`chaos invariants: ${(e as Error).message}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(INVARIANTS_HELP);
    return 0;
  }
  const since = values.since ? new Date(values.since) : undefined;
  if (since && Number.isNaN(since.getTime())) {
    process.stderr.write(`chaos invariants: --since "${values.since}" is not a time (ISO 8601)\n`);
    return 2;
  }
  const strandedAfter =
    values['stranded-after'] === undefined ? 30 : decimalNumberOf(values['stranded-after']);
  if (!Number.isFinite(strandedAfter) || strandedAfter < 0 || strandedAfter > 86_400) {
    process.stderr.write('chaos invariants: --stranded-after must be 0..86400 seconds\n');
    return 2;
  }
  const file = values.history ?? newestHistory();
  let history: HistoryLine[] = [];
  if (file) {
    try {
      history = readHistory(file);
    } catch (e) {
      process.stderr.write(`chaos invariants: ${(e as Error).message}\n`);
      return 2;
    }
  } else if (!values.json) {
    process.stderr.write('no client history found: checking the database alone\n');
  }
  let src: SqlSource | undefined;
  try {
    src = values['database-url'] ? await pgSource(values['database-url']) : await labSource();
    await assertSafeSource(src, LAB_DATABASE_MARK);
    const report = await checkInvariants(src, history, {
      since,
      strandedAfterSeconds: strandedAfter,
    });
    process.stdout.write(
      values.json
        ? JSON.stringify({ ...report, history: file }, null, 2) + '\n'
        : formatInvariants(report) + '\n',
    );
    return report.passed ? 0 : 1;
  } catch (e) {
    const known = e instanceof SourceUnavailable || e instanceof RefusedSource;
    process.stderr.write(`chaos invariants: ${known ? '' : 'failed: '}${(e as Error).message}\n`);
    return 2;
  } finally {
    await src?.close().catch(() => undefined);
  }
}
