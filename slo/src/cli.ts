import { flagValue, onlyFlags, parseArgs, UsageError, type Flags } from './args';
import { generate } from './compile/generate';
import { runGate } from './gate/command';
import { isPlatform, PLATFORMS } from './spec/edge-sources';
import { SpecValidationError } from './spec/errors';

const HELP = `Usage: npm run --silent slo -- <command> [options]

Commands:
  generate --in <file|dir> --out <file> [--platform <lab|gke>] [--json]
      Compile Sloth prometheus/v1 SLO specs into one Prometheus rule file. Availability SLIs
      are measured at the platform's edge (default lab: HAProxy; gke: the load balancer).
      Exit 0 on success, 1 on invalid specs (nothing is written), 64 on bad usage.
  gate --prometheus <url> [--slo <id>] [--json] [--min-budget <ratio>]
       [--max-burn <factor>] [--window <5m|30m|1h|2h|6h|1d|3d>] [--timeout-ms <n>]
       [--ca-file <pem>] [--credentials <json file>]
      Decide whether a release may proceed from the error budget.
      Exit 0 pass, 1 breach, 2 undecidable (no data or Prometheus unreachable).
      A Prometheus behind TLS and basic auth (the lab's, https://127.0.0.1:9090): --ca-file
      trusts that CA (.lab/ca/ca.crt), --credentials sends the {"username", "password"} of a
      JSON file (.lab/ops.json); both need an https URL.
`;

function runGenerate(flags: Flags): number {
  onlyFlags(flags, ['in', 'out', 'platform', 'json']);
  const json = flags.has('json');
  const platform = flagValue(flags, 'platform') ?? 'lab';
  if (!isPlatform(platform))
    throw new UsageError(`--platform must be one of ${PLATFORMS.join(', ')}, got "${platform}"`);
  try {
    const res = generate(flagValue(flags, 'in', true), flagValue(flags, 'out', true), platform);
    if (json) console.log(JSON.stringify({ ok: true, ...res }));
    else
      console.log(
        `wrote ${res.out} (${res.platform}): ${res.slos.length} SLOs, ${res.groups} groups, ${res.rules} rules`,
      );
    return 0;
  } catch (e) {
    if (e instanceof SpecValidationError) {
      if (json) console.log(JSON.stringify({ ok: false, ...e.toJSON() }));
      else console.error(e.message);
      return 1;
    }
    throw e;
  }
}

export async function main(argv: string[]): Promise<number> {
  try {
    const { command, flags } = parseArgs(argv);
    if (!command || command === '--help' || command === 'help' || flags.has('help')) {
      console.log(HELP);
      return command ? 0 : 64;
    }
    if (command === 'generate') return runGenerate(flags);
    if (command === 'gate') return await runGate(flags);
    throw new UsageError(`unknown command "${command}"`);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}\n\n${HELP}`);
      return 64;
    }
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.stack : e);
      process.exit(70);
    },
  );
}
