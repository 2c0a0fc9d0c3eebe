import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { wholeNumberText } from '@dhakacart/numeric-text';
import { z } from 'zod';
import { runFuzz } from './run-fuzz';

const HELP = `Usage: npm run fuzz -w @dhakacart/security -- --base-url URL [options]

Fuzzes every operation of the API's OpenAPI document (app/api/generated/openapi.json) with
Schemathesis (pinned in scripts/lib.sh), as a customer it registers, with the store's Origin
on every request. Fails on any 5xx, a stack trace in a body, or an answer that does not conform
to the document.

  --base-url URL            the API, or the lab's edge (https://localhost:8443)     required
  --ca-file PATH            CA bundle for https (e.g. .lab/ca/ca.crt)
  --origin URL              the store origin to send (default: the base URL's origin)
  --budget-seconds N        wall-clock budget for the fuzzing, 10-86400 (default 120)
  --max-examples N          cases per operation and phase, 1-100000 (default 25)
  --report PATH             write the JSON report there
  --admin-credentials PATH  JSON {"email","password"} of an admin: also fuzz the staff routes
                            as admin (they create products: not for a shared store)
  --seed N                  Schemathesis seed, to repeat a run (default: a new one,
                            printed and written in the report)
  --no-probes               leave out the api's /livez and /readyz: through the edge they
                            are the storefront's pages, and would be reported as findings
  --json                    print the report on stdout
  -h, --help                this help

Exit: 0 clean, 1 findings (see the report), 2 bad usage.
`;

const flags = z
  .object({
    'base-url': z.url().refine((u) => /^https?:\/\//.test(u), 'must be http(s)'),
    'ca-file': z.string().min(1).optional(),
    origin: z
      .url()
      .refine((u) => /^https?:\/\/[^/]+$/.test(u), 'must be an origin (scheme and host)')
      .optional(),
    'budget-seconds': wholeNumberText(10, 86400).default(120),
    'max-examples': wholeNumberText(1, 100000).default(25),
    report: z.string().min(1).optional(),
    'admin-credentials': z.string().min(1).optional(),
    seed: wholeNumberText(0).optional(),
    'no-probes': z.boolean().optional(),
    json: z.boolean().optional(),
  })
  .strict();

const credentials = z.object({ email: z.string().min(3), password: z.string().min(1) });

async function main(): Promise<number> {
  let values;
  try {
    values = parseArgs({
      options: {
        'base-url': { type: 'string' },
        'ca-file': { type: 'string' },
        origin: { type: 'string' },
        'budget-seconds': { type: 'string' },
        'max-examples': { type: 'string' },
        report: { type: 'string' },
        'admin-credentials': { type: 'string' },
        seed: { type: 'string' },
        'no-probes': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (e) {
    process.stderr.write(`fuzz: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const { help: _h, ...rest } = values;
  const parsed = flags.safeParse(rest);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ');
    process.stderr.write(`fuzz: ${why}\n\n${HELP}`);
    return 2;
  }
  const f = parsed.data;
  let admin;
  if (f['admin-credentials']) {
    try {
      admin = credentials.parse(JSON.parse(readFileSync(f['admin-credentials'], 'utf8')));
    } catch (e) {
      process.stderr.write(
        `fuzz: --admin-credentials: not a JSON {email, password} file (${(e as Error).name})\n`,
      );
      return 2;
    }
  }
  const report = await runFuzz({
    baseUrl: f['base-url'].replace(/\/$/, ''),
    caFile: f['ca-file'],
    origin: f.origin,
    budgetSeconds: f['budget-seconds'],
    maxExamples: f['max-examples'],
    reportPath: f.report,
    admin,
    seed: f.seed,
    probes: !f['no-probes'],
    log: (l) => process.stderr.write(`${l}\n`),
  });
  if (f.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  for (const p of report.problems) process.stderr.write(`fuzz: problem: ${p}\n`);
  for (const r of report.runs) {
    for (const x of r.examples)
      process.stderr.write(`fuzz: ${r.name}: ${x.operation} ${x.code}\n${x.excerpt}\n\n`);
  }
  process.stderr.write(
    `fuzz: ${report.ok ? 'clean' : 'FINDINGS'}: ${report.totals.cases} cases, ` +
      `${report.totals.operationsTested}/${report.totals.operationsInSchema} operations, ` +
      `${report.totals.failures} failures in ${report.durationSeconds} s, seed ${report.seed}` +
      (f.report ? ` (report: ${f.report})` : '') +
      '\n',
  );
  return report.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`fuzz: failed: ${e.message}\n`);
    process.exit(1);
  },
);
