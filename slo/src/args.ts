/** Flags as given on the command line: `--name value`, `--name=value` or a bare `--name`. */
export type Flags = Map<string, string | true>;

export class UsageError extends Error {}

export function parseArgs(argv: string[]): { command?: string; flags: Flags } {
  const [command, ...rest] = argv;
  const flags: Flags = new Map();
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    if (!a.startsWith('--')) throw new UsageError(`unexpected argument "${a}"`);
    const eq = a.indexOf('=');
    if (eq > 0) {
      flags.set(a.slice(2, eq), a.slice(eq + 1));
      continue;
    }
    const next = rest[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      flags.set(a.slice(2), next);
      i++;
    } else flags.set(a.slice(2), true);
  }
  return { command, flags };
}

export function flagValue(flags: Flags, name: string, required: true): string;
export function flagValue(flags: Flags, name: string, required?: false): string | undefined;
export function flagValue(flags: Flags, name: string, required = false): string | undefined {
  const v = flags.get(name);
  if (v === true) throw new UsageError(`--${name} needs a value`);
  if (v === undefined && required) throw new UsageError(`--${name} is required`);
  return v;
}

/** Rejects flags the command does not know, so a typo never silently changes a decision. */
export function onlyFlags(flags: Flags, known: string[]): void {
  for (const k of flags.keys()) {
    if (!known.includes(k)) throw new UsageError(`unknown option --${k}`);
  }
}
