import { mkdirSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { runCli } from '../../cli/run-cli';
import { contractProblems, generate, GENERATED_DIR, GENERATED_FILES, staleFiles } from './check';

const HELP = `Usage: contract <write|check> [--json]

  write   regenerate generated/openapi.json and generated/contract.d.ts from the zod schemas
  check   fail (exit 1) when a served route has no schema, a schema has no route, or the
          committed files differ from a fresh generation

  --json  one JSON object on stdout: {"ok", "problems", "stale"}
`;

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    process.stderr.write(`contract: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const [command, ...rest] = positionals;
  if ((command !== 'write' && command !== 'check') || rest.length) {
    process.stderr.write(`contract: give one command, write or check\n\n${HELP}`);
    return 2;
  }
  const problems = contractProblems();
  const fresh = generate();
  if (command === 'write' && !problems.length) {
    mkdirSync(GENERATED_DIR, { recursive: true });
    writeFileSync(GENERATED_FILES.document, fresh.document);
    writeFileSync(GENERATED_FILES.types, fresh.types);
  }
  const stale = command === 'check' ? staleFiles(fresh).map((p) => relative(process.cwd(), p)) : [];
  const ok = !problems.length && !stale.length;
  if (values.json) {
    process.stdout.write(JSON.stringify({ ok, problems, stale }) + '\n');
  } else {
    for (const p of problems) process.stderr.write(`contract: ${p}\n`);
    for (const s of stale) {
      process.stderr.write(
        `contract: ${s} differs from the zod schemas; run npm run contract -w @dhakacart/api\n`,
      );
    }
    if (ok) process.stderr.write(`contract: ${command === 'write' ? 'written' : 'up to date'}\n`);
  }
  return ok ? 0 : 1;
}

runCli('contract', main);
