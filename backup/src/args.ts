import { decimalNumberOf } from '@dhakacart/numeric-text';
import { BackupError } from './errors';

export interface Parsed {
  command: string | null;
  flags: Map<string, string[]>;
  help: boolean;
  json: boolean;
}

/** Options that take a value; the rest are switches. */
const VALUED = new Set([
  '--to',
  '--repo',
  '--type',
  '--stack',
  '--backup-container',
  '--pg-container',
  '--key-file',
  '--history',
  '--warmup',
  '--timeout',
  '--interval',
]);
const SWITCHES = new Set([
  '--json',
  '--help',
  '-h',
  '--keep',
  '--no-record',
  '--yes-destroy-current-data',
  '--dry-run',
  '--no-stream',
]);

export function parseArgs(argv: string[]): Parsed {
  const flags = new Map<string, string[]>();
  let command: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [name, inline] =
      a.startsWith('--') && a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    if (VALUED.has(name)) {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--')))
        throw new BackupError('usage', `${name} needs a value`);
      flags.set(name, [...(flags.get(name) ?? []), v]);
    } else if (SWITCHES.has(name)) {
      flags.set(name, ['']);
    } else if (!a.startsWith('-') && command === null) {
      command = a;
    } else {
      throw new BackupError('usage', `unknown option or argument "${a}" (try --help)`);
    }
  }
  return {
    command,
    flags,
    help: flags.has('--help') || flags.has('-h'),
    json: flags.has('--json'),
  };
}

export function one(p: Parsed, name: string): string | undefined {
  const v = p.flags.get(name);
  if (v && v.length > 1) throw new BackupError('usage', `${name} given more than once`);
  return v?.[0];
}

export function seconds(p: Parsed, name: string, dflt: number, max: number): number {
  const raw = one(p, name);
  if (raw === undefined) return dflt;
  const n = decimalNumberOf(raw);
  if (!(n >= 0 && n <= max))
    throw new BackupError(
      'usage',
      `${name} must be a number of seconds between 0 and ${max}, written in digits`,
    );
  return n;
}

export function repoOf(p: Parsed, dflt: 1 | 2 = 1): 1 | 2 {
  const raw = one(p, '--repo');
  if (raw === undefined) return dflt;
  if (raw !== '1' && raw !== '2') throw new BackupError('usage', '--repo must be 1 or 2');
  return raw === '1' ? 1 : 2;
}
