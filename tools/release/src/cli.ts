import { parseArgs } from 'node:util';
import { wholeNumberOf } from '@dhakacart/numeric-text';
import { release } from './release';

const HELP = `Usage: npm run release -- [options]

Releases the committed code to the lab: builds the images whose inputs changed, rolls the api
(and the storefront) out one replica at a time under load, watches the new version's OWN
series for an observation window (every api series carries its version), then promotes it, or
rolls it back automatically and checks the rollback. Announces start, live, promotion, failure
and rollback to the chat, e-mail and SMS receivers (through Alertmanager).

Options:
  --window S                        the observation window in seconds (default 60, 30..900)
  --visitors N                      the load during the release (default 120)
  --inject-fault checkout-5xx:<P>   a DRILL: release a derived api image that fails P% of
                                    checkouts with 5xx while passing every health check; the
                                    gate alone must catch it and roll it back
  --json                            print {outcome, commitToLiveSeconds, decidedSeconds,
                                    rolledBack, failedRequests, totalRequests, gate, ...}
  -h, --help                        this help

Refused (exit 2, nothing deployed): uncommitted source changes (generated benchmark results
excepted), a second release while one runs, the lab or the api not healthy, a gate that cannot
reach Prometheus (fail closed), a rollback target that no longer exists.
Exit: 0 promoted; 1 rolled back; 2 refused or aborted (Ctrl-C rolls back to one version).
`;

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        window: { type: 'string' },
        visitors: { type: 'string' },
        'inject-fault': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    process.stderr.write(`release: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const windowSeconds = values.window === undefined ? 60 : wholeNumberOf(values.window);
  if (!Number.isInteger(windowSeconds) || windowSeconds < 30 || windowSeconds > 900) {
    process.stderr.write('release: --window must be a whole number of seconds from 30 to 900\n');
    return 2;
  }
  const visitors = values.visitors === undefined ? 120 : wholeNumberOf(values.visitors);
  if (!Number.isInteger(visitors) || visitors < 10 || visitors > 5000) {
    process.stderr.write('release: --visitors must be a whole number from 10 to 5000\n');
    return 2;
  }
  let percent: number | undefined;
  if (values['inject-fault'] !== undefined) {
    const m = /^checkout-5xx:(\d{1,3})$/.exec(values['inject-fault']);
    percent = m ? Number(m[1]) : NaN;
    if (!m || !(percent! >= 1 && percent! <= 100)) {
      process.stderr.write(
        'release: --inject-fault takes checkout-5xx:<percent>, a percent from 1 to 100\n',
      );
      return 2;
    }
  }
  const say = (s: string) => process.stderr.write(`${s}\n`);
  const ac = new AbortController();
  const onSignal = () => {
    say('release: stopping (Ctrl-C): rolling back to the version that served before');
    ac.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const r = await release({
    injectCheckout5xxPercent: percent,
    windowSeconds,
    visitors,
    say,
    signal: ac.signal,
  });
  if (values.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
  else
    process.stdout.write(
      `\nrelease ${r.version ?? '(none)'}: ${r.outcome}${r.reason ? ` (${r.reason})` : ''}; commit→live ${r.commitToLiveSeconds ?? '—'} s, decided at ${r.decidedSeconds ?? '—'} s; ${r.failedRequests}/${r.totalRequests} requests failed\n`,
    );
  return r.outcome === 'promoted' ? 0 : r.outcome === 'rolled-back' ? 1 : 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`release: ${e.message}\n`);
    process.exit(2);
  },
);
