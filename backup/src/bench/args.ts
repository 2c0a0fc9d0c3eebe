import { parseArgs } from 'node:util';
import { decimalNumberOf } from '@dhakacart/numeric-text';

export const HELP = `Usage: npm run bench:backup -- [--gb N] [--window S]

The backup benchmark, on a standalone setup of its own (one Patroni member with its etcd and the
real backup service; not the lab): generates at least N GiB of orders, takes a full backup to
both repositories, measures WAL shipping with archive_timeout 5 s against pg_receivewal
streaming under the same order load, and runs the restore drill in each mode. Writes
bench/results/backup.json and prints it. Takes 10-20 minutes on 2 cores; Ctrl-C removes the
setup's containers, networks and volumes.

Options:
  --gb N        data size in GiB (default 1)
  --window S    seconds of orders per WAL shipping mode (default 60)
  -h, --help    this help

Exit: 0 measured; 1 the benchmark failed; 2 bad input; 130 stopped by Ctrl-C.
`;

export type BenchArgs = { help: true } | { help: false; gb: number; windowS: number };

/** The benchmark's flags, checked: unknown flags and non-positive numbers are bad input. */
export function parseBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      gb: { type: 'string' },
      window: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true };
  const positive = (name: string, raw: string | undefined, dflt: number, max: number) => {
    if (raw === undefined) return dflt;
    const v = decimalNumberOf(raw);
    if (!(v > 0) || v > max)
      throw new Error(`--${name} must be a number above 0 and at most ${max} (got "${raw}")`);
    return v;
  };
  return {
    help: false,
    gb: positive('gb', values.gb, 1, 64),
    windowS: positive('window', values.window, 60, 3600),
  };
}
