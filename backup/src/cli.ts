import { readFileSync } from 'node:fs';
import { one, parseArgs, repoOf, seconds, type Parsed } from './args';
import { discover, cipherFromService, type BackupEnv } from './environment';
import { drill } from './drill';
import { BackupError, EXIT } from './errors';
import { restoreToTime } from './restore';
import { planRestoreLive, restoreLive } from './restore-live';
import { backupNow, status } from './service';
import { parseRestoreTime } from './time';

const HELP: Record<string, string> = {
  main: `Usage: npm run backup -- <command> [options]

Lab backups with pgBackRest (images/pgbackrest, infra/lab/stack.backup.yml).

Commands:
  status        both repositories, the newest backups, WAL archiving on the leader, the last drill
  now           an on-demand backup, taken by the backup service (default: full, to both repos)
  restore       point-in-time restore into a fresh, isolated PostgreSQL, verified
  drill         the restore drill: under order writes, restore the state at T, verify, RTO/RPO
  restore-live  replace the live lab's database with a restore (after a real loss only)

Every command takes --json (one JSON document on stdout) and --help.
Exit codes: ${Object.entries(EXIT)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ')}.`,
  status: `Usage: npm run backup -- status [--json] [--stack NAME]`,
  now: `Usage: npm run backup -- now [--type full|diff|incr] [--repo 1|2|all] [--json]

Takes a backup now (the schedule takes a full weekly and a differential daily by itself).`,
  restore: `Usage: npm run backup -- restore --to <time|latest> [--repo 1|2] [--key-file F]
                                 [--history F] [--keep] [--no-stream] [--timeout S] [--json]

Restores the state at <time> (ISO 8601 with a zone, e.g. 2026-05-01T10:15:00Z) into a fresh
container on its own internal network, never into the live cluster. With --history (JSON lines
{orderId, key, at}), every order acknowledged before <time> is checked against the live rows.
--keep leaves the restored database running (its container name is printed); otherwise it is
removed after the checks. --key-file reads the passphrase from the escrow copy (after the loss
of the lab) instead of the backup service. WAL streamed to the backup service but not yet
archived counts too, unless --no-stream (after the loss of the lab, when the stream belongs to
another cluster).`,
  drill: `Usage: npm run backup -- drill [--repo 1|2] [--history F] [--warmup S] [--interval MS]
                               [--timeout S] [--keep] [--no-record] [--json]

Under continuous order writes (its own, or an external writer's --history file), at a moment T
restores the latest state the repository held at T into a fresh isolated PostgreSQL, verifies
every order acknowledged before the recovery point (history + checksum of immutable columns),
and reports the gap, RTO (T until the restore answers) and RPO (T minus the newest commit).
The result is recorded in the backup service for Prometheus (--no-record: not).
--json prints {rtoSeconds, rpoSeconds, ordersVerified, mismatches, target, ...}.`,
  'restore-live': `Usage: npm run backup -- restore-live --to <time|latest> --yes-destroy-current-data
                                      [--repo 1|2] [--key-file F] [--dry-run] [--json]

After a real loss only: stops the lab's Patroni members, wipes their data, restores the backup
into pg1, lets Patroni start a new cluster from it and re-clones pg2 and pg3. Everything written
after <time> is lost. Refused without --yes-destroy-current-data. --dry-run prints the plan.
Runbook: docs/runbooks/restore-point-in-time.md.`,
};

const COMMANDS = ['status', 'now', 'restore', 'drill', 'restore-live'];

function say(p: Parsed) {
  return (line: string) => {
    if (!p.json) process.stderr.write(`  ${line}\n`);
  };
}

async function envOf(p: Parsed): Promise<BackupEnv> {
  return discover({
    stack: one(p, '--stack'),
    backupContainer: one(p, '--backup-container'),
    pgContainers: p.flags.get('--pg-container'),
  });
}

function keyFrom(p: Parsed): string | undefined {
  const f = one(p, '--key-file');
  if (!f) return undefined;
  try {
    const k = readFileSync(f, 'utf8').trim();
    if (k) return k;
  } catch {
    /* below */
  }
  throw new BackupError('usage', `cannot read a key from ${f}`);
}

function target(p: Parsed): Date | null {
  const to = one(p, '--to');
  if (to === undefined) throw new BackupError('usage', '--to <time|latest> is required');
  return to === 'latest' ? null : parseRestoreTime(to);
}

async function execute(p: Parsed): Promise<unknown> {
  switch (p.command) {
    case 'status':
      return status(await envOf(p));
    case 'now': {
      const type = one(p, '--type') ?? 'full';
      const repo = one(p, '--repo') ?? 'all';
      if (!['full', 'diff', 'incr'].includes(type))
        throw new BackupError('usage', '--type must be full, diff or incr');
      if (!['1', '2', 'all'].includes(repo))
        throw new BackupError('usage', '--repo must be 1, 2 or all');
      return backupNow(await envOf(p), type, repo);
    }
    case 'restore': {
      const to = target(p);
      const repo = repoOf(p);
      const restoreTimeoutMs = seconds(p, '--timeout', 900, 86_400) * 1000;
      const historyFile = one(p, '--history');
      const fileKey = keyFrom(p);
      const env = await envOf(p);
      return restoreToTime({
        image: env.restoreImage,
        volume: env.repoVolumes[repo],
        repo,
        stanza: env.stanza,
        key: fileKey ?? (await cipherFromService(env)),
        to,
        historyFile,
        liveMembers: env.pgContainers,
        service: p.flags.has('--no-stream') ? undefined : env,
        keep: p.flags.has('--keep'),
        restoreTimeoutMs,
        say: say(p),
      });
    }
    case 'drill': {
      // Every option is checked before the lab is looked at.
      const opts = {
        repo: repoOf(p),
        key: keyFrom(p),
        historyFile: one(p, '--history'),
        warmupMs: seconds(p, '--warmup', 15, 3600) * 1000,
        writeIntervalMs: seconds(p, '--interval', 50, 10_000),
        restoreTimeoutMs: seconds(p, '--timeout', 900, 86_400) * 1000,
        keep: p.flags.has('--keep'),
        record: !p.flags.has('--no-record'),
        say: say(p),
      };
      return drill({ ...opts, env: await envOf(p) });
    }
    case 'restore-live': {
      const to = target(p);
      const plan = planRestoreLive({
        stack: one(p, '--stack') ?? 'dhakacart',
        to,
        repo: repoOf(p),
      });
      if (p.flags.has('--dry-run')) return { dryRun: true, plan };
      if (!p.flags.has('--yes-destroy-current-data'))
        throw new BackupError(
          'confirmationRequired',
          'restore-live destroys the live database: add --yes-destroy-current-data (or --dry-run to see the plan)',
        );
      const env = await envOf(p);
      return restoreLive(plan, {
        env,
        key: keyFrom(p) ?? (await cipherFromService(env)),
        say: say(p),
      });
    }
    default:
      throw new BackupError(
        'usage',
        `unknown command "${p.command}" (one of ${COMMANDS.join(', ')})`,
      );
  }
}

function human(result: unknown): string {
  return JSON.stringify(result, null, 2);
}

export async function main(argv: string[]): Promise<number> {
  let p: Parsed | null = null;
  try {
    p = parseArgs(argv);
    if (p.help || !p.command) {
      const text = HELP[p.command && COMMANDS.includes(p.command) ? p.command : 'main']!;
      process.stdout.write(`${text}\n`);
      return p.help ? EXIT.ok : EXIT.usage;
    }
    const result = await execute(p);
    process.stdout.write(p.json ? `${JSON.stringify(result)}\n` : `${human(result)}\n`);
    return EXIT.ok;
  } catch (e) {
    const err =
      e instanceof BackupError
        ? e
        : new BackupError('internal', e instanceof Error ? e.message : String(e));
    const result = (e as { result?: unknown }).result;
    if (p?.json ?? argv.includes('--json'))
      process.stdout.write(
        `${JSON.stringify({ error: { kind: err.kind, message: err.message, exitCode: err.exitCode }, ...(result ? { result } : {}) })}\n`,
      );
    process.stderr.write(`backup: ${err.message}\n`);
    return err.exitCode;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
