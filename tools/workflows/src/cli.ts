// `npm run check -w @dhakacart/workflows` lints the workflows; the workflows themselves call
// `render` to build the cluster objects they create (tested here, not improvised in shell).
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import YAML from 'yaml';
import { actionlint, type Finding } from './actionlint';
import { canaryDeployment } from './k8s/canary';
import { gateJob } from './k8s/gate-job';
import { InputError } from './k8s/live';
import { migrationJob } from './k8s/migration';
import { testRunFrom } from './k8s/testrun';
import { workflowFromSchedule } from './k8s/workflow-from-schedule';
import { policyFindings } from './policy';
import { readWorkflows, REPO_ROOT, WorkflowParseError } from './workflows';

const HELP = `Usage: tsx tools/workflows/src/cli.ts <command> [options]

Commands:
  lint [--json]           actionlint (WebAssembly) and the project's rules on .github/workflows
                          exit 0 clean, 1 findings, 2 a file that does not parse
  render <object> ...     print a Kubernetes object as JSON (stdin: the live object it derives from)
    canary        --image REF --release TAG [--share 0.1]   (stdin: the live api Deployment)
    migration     --image REF --release TAG                 (stdin: the live migration Job)
    testrun       --name N --script F.js [--parallelism P]  (stdin: the TestRun manifest)
    gate-job      --name N --env staging|prod --image REF --config-map C [-- gate flags]
    workflow      --name N                                  (stdin: the chaos Schedule)
  -h, --help              this help

Bad input exits 2 with {"error": CODE, "message": ...} on stderr.
`;

function fail(code: string, message: string): number {
  process.stderr.write(JSON.stringify({ error: code, message }) + '\n');
  return 2;
}

/** The live or stored object on stdin: JSON (kubectl get -o json) or YAML (a stored manifest). */
function readStdin(): unknown {
  const text = fs.readFileSync(0, 'utf8');
  try {
    return YAML.parse(text) as unknown;
  } catch {
    throw new InputError('STDIN_NOT_AN_OBJECT', 'standard input is neither JSON nor YAML');
  }
}

function required(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '')
    throw new InputError('MISSING_FLAG', `--${name} is required`);
  return v;
}

function numberFlag(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new InputError('BAD_FLAG', `--${name} must be a number`);
  return n;
}

async function lint(json: boolean): Promise<number> {
  const files = readWorkflows(REPO_ROOT);
  const findings: Finding[] = [...(await actionlint(files)), ...policyFindings(files)];
  if (json) process.stdout.write(JSON.stringify({ files: files.length, findings }, null, 2) + '\n');
  else {
    for (const f of findings)
      process.stdout.write(`${f.file}:${f.line}: [${f.rule}] ${f.message}\n`);
    process.stdout.write(`workflows: ${files.length} files, ${findings.length} findings\n`);
  }
  return findings.length ? 1 : 0;
}

function render(object: string | undefined, args: string[]): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      image: { type: 'string' },
      release: { type: 'string' },
      share: { type: 'string' },
      name: { type: 'string' },
      script: { type: 'string' },
      parallelism: { type: 'string' },
      env: { type: 'string' },
      'config-map': { type: 'string' },
    },
  });
  let out: unknown;
  switch (object) {
    case 'canary':
      out = canaryDeployment(readStdin(), {
        image: required(values, 'image'),
        release: required(values, 'release'),
        share: numberFlag(values.share, 'share'),
      });
      break;
    case 'migration':
      out = migrationJob(readStdin(), {
        image: required(values, 'image'),
        release: required(values, 'release'),
      });
      break;
    case 'testrun':
      out = testRunFrom(readStdin(), {
        name: required(values, 'name'),
        script: required(values, 'script'),
        parallelism: numberFlag(values.parallelism, 'parallelism'),
      });
      break;
    case 'gate-job': {
      const env = required(values, 'env');
      if (env !== 'staging' && env !== 'prod')
        throw new InputError('BAD_FLAG', '--env is staging or prod');
      out = gateJob({
        name: required(values, 'name'),
        env,
        image: required(values, 'image'),
        configMap: required(values, 'config-map'),
        args: positionals,
      });
      break;
    }
    case 'workflow':
      out = workflowFromSchedule(readStdin(), { name: required(values, 'name') });
      break;
    default:
      return fail('UNKNOWN_OBJECT', `render: unknown object "${object ?? ''}"`);
  }
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'lint') {
      const unknown = rest.filter((a) => a !== '--json');
      if (unknown.length) return fail('UNKNOWN_ARGUMENT', unknown.join(' '));
      return await lint(rest.includes('--json'));
    }
    if (command === 'render') return render(rest[0], rest.slice(1));
    if (command === '-h' || command === '--help') {
      process.stdout.write(HELP);
      return 0;
    }
    process.stderr.write(HELP);
    return fail('UNKNOWN_COMMAND', `unknown command "${command ?? ''}"`);
  } catch (e) {
    if (e instanceof InputError) return fail(e.code, e.message);
    if (e instanceof WorkflowParseError) return fail('WORKFLOW_PARSE', e.message);
    if ((e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
      return fail('BAD_ARGUMENTS', (e as Error).message);
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: Error) => {
      process.stderr.write(JSON.stringify({ error: 'INTERNAL', message: e.message }) + '\n');
      process.exit(1);
    },
  );
}
