// Fuzzes every operation of the API's OpenAPI document with Schemathesis, as a registered customer
// (and optionally an admin), with the store's Origin on every request, bounded in time. Fails on
// any 5xx, any stack trace in a body (python/dhakacart_checks.py) and any non-conformance to the
// document (status, content type, headers, schema), plus Schemathesis's other checks.
import { spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT, securityTool } from '../tools';
import { requestJson, sessionCookie } from './http';

export const DEFAULT_SCHEMA = join(REPO_ROOT, 'app', 'api', 'generated', 'openapi.json');
const CONFIG = join(__dirname, '..', '..', 'schemathesis.toml');
const HOOKS_DIR = join(__dirname, '..', '..', 'python');

/** Operations that end or replace the session they are called with: fuzzed last. */
const SESSION_OPS = '^/api/auth/(login|logout|register)$';
const STAFF_OPS = '^/api/(admin|ops)/';
/**
 * The api's own probes. The edge routes only /api/ to the api, so through it these paths are the
 * storefront's HTML: fuzzing them there reports the web's answers (text/html, a 405 without
 * Allow) as the api's. `probes: false` leaves them out.
 */
const PROBE_OPS = '^/(livez|readyz)$';
const PROBE_PATH = new RegExp(PROBE_OPS);

export interface FuzzOptions {
  baseUrl: string;
  /** CA bundle for an https base URL (the lab's .lab/ca/ca.crt). */
  caFile?: string;
  /** The store origin sent as Origin; defaults to the base URL's origin. */
  origin?: string;
  /** Wall-clock budget for all Schemathesis runs together. */
  budgetSeconds: number;
  /** Cases per operation and phase (Schemathesis --max-examples). */
  maxExamples: number;
  /** Where to write the JSON report (directories are created). */
  reportPath?: string;
  schemaPath?: string;
  /** An admin account for a second pass over the staff-only operations. */
  admin?: { email: string; password: string };
  /** Schemathesis's seed for every run; a new one is drawn when absent, and reported either way. */
  seed?: number;
  /** Fuzz the api's probes too (default true); false when the base URL is the edge. */
  probes?: boolean;
  log?: (line: string) => void;
}

export interface FailureSummary {
  code: string;
  title: string;
  count: number;
  operations: string[];
}

export interface FailureExample {
  operation: string;
  code: string;
  /** Schemathesis's own description, with cookies and keys already filtered; cut short. */
  excerpt: string;
}

export interface RunReport {
  name: string;
  identity: 'customer' | 'admin';
  operations: { selected: number; tested: number; errored: number };
  cases: number;
  seconds: number;
  stopReason: string | null;
  exitCode: number | null;
  failures: FailureSummary[];
  examples: FailureExample[];
  errors: string[];
  schemathesisVersion: string | null;
}

export interface FuzzReport {
  ok: boolean;
  baseUrl: string;
  schema: string;
  schemathesisVersion: string | null;
  startedAt: string;
  /** The seed every run used: \`--seed\` with it repeats the same cases. */
  seed: number;
  durationSeconds: number;
  totals: { operationsInSchema: number; operationsTested: number; cases: number; failures: number };
  runs: RunReport[];
  /** Problems of the run itself (login failed, an operation never tested, a crash). */
  problems: string[];
}

interface RunSpec {
  name: string;
  identity: 'customer' | 'admin';
  cookie: string;
  filter: string[];
  seconds: number;
}

const xmlText = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&');

/** The failure texts of a JUnit report, per operation. */
export function junitExamples(xml: string, max = 20): FailureExample[] {
  const out: FailureExample[] = [];
  // A passing case is self-closing (`<testcase name="GET /a" time="1"/>`): it must end there, or
  // the next case's failure is read as its own (a GET's finding once showed as POST's).
  for (const tc of xml.matchAll(/<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
    const name = /\bname="([^"]*)"/.exec(tc[1]!)?.[1] ?? '';
    for (const f of (tc[2] ?? '').matchAll(
      /<failure[^>]*message="([^"]*)"[^>]*>([\s\S]*?)<\/failure>/g,
    )) {
      if (out.length >= max) return out;
      out.push({
        operation: xmlText(name),
        code: xmlText(f[1]!),
        excerpt: xmlText(f[2]!).trim().slice(0, 700),
      });
    }
  }
  return out;
}

async function login(
  o: FuzzOptions,
  origin: string,
  path: string,
  body: Record<string, string>,
): Promise<string> {
  const r = await requestJson(`${o.baseUrl}${path}`, {
    method: 'POST',
    body,
    headers: { origin },
    caFile: o.caFile,
  });
  const cookie = sessionCookie(r);
  if (r.status >= 300 || !cookie) {
    throw new Error(`${path} answered ${r.status} without a session: ${r.text.slice(0, 200)}`);
  }
  return cookie;
}

function runSchemathesis(
  o: FuzzOptions,
  spec: RunSpec,
  origin: string,
  schema: string,
  dir: string,
  seed: number,
): Promise<RunReport> {
  const jsonPath = join(dir, `${spec.name}.json`);
  const junitPath = join(dir, `${spec.name}.xml`);
  const args = [
    '--config-file',
    CONFIG,
    '--no-color',
    'run',
    schema,
    '--url',
    o.baseUrl,
    '--header',
    `Cookie: ${spec.cookie}`,
    '--header',
    `Origin: ${origin}`,
    '--checks',
    'all',
    '--max-time',
    String(Math.max(5, Math.floor(spec.seconds))),
    '--max-examples',
    String(o.maxExamples),
    // One worker: with two, CPython 3.11's ast.parse (used by Hypothesis to describe filters)
    // raised "AST constructor recursion depth mismatch" inside Schemathesis here.
    '--workers',
    '1',
    '--request-timeout',
    '30',
    // The response-time check is for pathological slowness (a regex or a query that explodes).
    // Its default, 10 s, failed once on a plain cart read (23 s) while the other test worker
    // held both cores; 25 s still catches an explosion without failing a busy machine.
    '--max-response-time',
    '25',
    // Our cookie stands; Schemathesis must not invent `sid` values in its place.
    '--generation-with-security-parameters',
    'false',
    '--generation-database',
    'none',
    '--report',
    'json,junit',
    '--report-json-path',
    jsonPath,
    '--report-junit-path',
    junitPath,
    ...spec.filter,
  ];
  if (o.caFile && o.baseUrl.startsWith('https:')) args.push('--tls-verify', o.caFile);
  args.push('--seed', String(seed));

  return new Promise((resolve) => {
    const started = Date.now();
    let tail = '';
    const child = spawn(securityTool('schemathesis'), args, {
      cwd: dir,
      env: {
        ...process.env,
        SCHEMATHESIS_HOOKS: 'dhakacart_checks',
        PYTHONPATH: HOOKS_DIR,
        PYTHONDONTWRITEBYTECODE: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (b: Buffer) => {
      tail = (tail + b.toString('utf8')).slice(-6000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    // Loading the schema and shrinking the last failure come on top of --max-time.
    const killAt = setTimeout(() => child.kill('SIGKILL'), (spec.seconds + 90) * 1000);
    child.on('close', (code) => {
      clearTimeout(killAt);
      const seconds = (Date.now() - started) / 1000;
      const base: RunReport = {
        name: spec.name,
        identity: spec.identity,
        operations: { selected: 0, tested: 0, errored: 0 },
        cases: 0,
        seconds: Math.round(seconds * 10) / 10,
        stopReason: null,
        exitCode: code,
        failures: [],
        examples: [],
        errors: [],
        schemathesisVersion: null,
      };
      if (!existsSync(jsonPath)) {
        base.errors.push(`schemathesis wrote no report (exit ${code}); its output ended:\n${tail}`);
        return resolve(base);
      }
      const j = JSON.parse(readFileSync(jsonPath, 'utf8'));
      base.operations = {
        selected: j.operations?.selected ?? 0,
        tested: j.operations?.tested ?? 0,
        errored: j.operations?.errored ?? 0,
      };
      base.cases = j.test_cases?.generated ?? 0;
      base.stopReason = j.stop_reason ?? null;
      base.failures = (j.failures ?? []).map((f: Record<string, unknown>) => ({
        code: String(f.code),
        title: String(f.title),
        count: Number(f.count),
        operations: (f.operations as string[]) ?? [],
      }));
      base.errors = (j.errors ?? []).map((e: unknown) => JSON.stringify(e).slice(0, 700));
      if (existsSync(junitPath)) base.examples = junitExamples(readFileSync(junitPath, 'utf8'));
      base.schemathesisVersion = j.schemathesis_version ?? null;
      resolve(base);
    });
  });
}

/** Runs the fuzzer; never throws for findings (they are in the report), only for bad options. */
export async function runFuzz(o: FuzzOptions): Promise<FuzzReport> {
  const log = o.log ?? (() => undefined);
  const startedAt = new Date();
  const origin = o.origin ?? new URL(o.baseUrl).origin;
  const schema = o.schemaPath ?? DEFAULT_SCHEMA;
  const doc = JSON.parse(readFileSync(schema, 'utf8')) as { paths: Record<string, object> };
  const probes = o.probes ?? true;
  const operationsInSchema = Object.entries(doc.paths)
    .filter(([path]) => probes || !PROBE_PATH.test(path))
    .reduce((n, [, p]) => n + Object.keys(p).length, 0);
  // A run without a seed explores new cases each time (CI's runs differ on purpose); the seed it
  // drew is in the report and the log, so a finding can be repeated.
  const seed = o.seed ?? randomInt(0, 2 ** 31);
  log(`fuzz: seed ${seed}`);
  const problems: string[] = [];
  const runs: RunReport[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'dhakacart-fuzz-'));
  try {
    // A customer of the run's own: its cookie is what a shopper's browser would carry.
    const email = `fuzz-${randomBytes(6).toString('hex')}@example.test`;
    const password = randomBytes(18).toString('base64url');
    const customer = await login(o, origin, '/api/auth/register', {
      email,
      password,
      name: 'Fuzz Customer',
    });
    const admin = o.admin ? await login(o, origin, '/api/auth/login', o.admin) : null;

    const share = admin ? [0.5, 0.25, 0.25] : [0.75, 0, 0.25];
    const specs: RunSpec[] = [
      {
        name: 'customer',
        identity: 'customer',
        cookie: customer,
        filter: ['--exclude-path-regex', probes ? SESSION_OPS : `${SESSION_OPS}|${PROBE_OPS}`],
        seconds: o.budgetSeconds * share[0]!,
      },
    ];
    if (admin) {
      specs.push({
        name: 'admin',
        identity: 'admin',
        cookie: admin,
        filter: ['--include-path-regex', STAFF_OPS],
        seconds: o.budgetSeconds * share[1]!,
      });
    }
    // Last: logging in, registering or out replaces the session the other runs rely on.
    specs.push({
      name: 'session',
      identity: 'customer',
      cookie: customer,
      filter: ['--include-path-regex', SESSION_OPS],
      seconds: o.budgetSeconds * share[2]!,
    });

    for (const spec of specs) {
      log(`fuzz: ${spec.name} run, up to ${Math.round(spec.seconds)} s`);
      const r = await runSchemathesis(o, spec, origin, schema, dir, seed);
      log(
        `fuzz: ${spec.name}: ${r.cases} cases over ${r.operations.tested} operations in ${r.seconds} s, ` +
          `${r.failures.reduce((n, f) => n + f.count, 0)} failures, ${r.errors.length} errors`,
      );
      runs.push(r);
      if (r.operations.tested < r.operations.selected) {
        problems.push(
          `${spec.name}: only ${r.operations.tested} of ${r.operations.selected} operations were tested (raise the budget)`,
        );
      }
    }
  } catch (e) {
    problems.push((e as Error).message);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // The customer's two runs split the document between them; the admin's run repeats a part.
  const asCustomer = runs.filter((r) => r.identity === 'customer');
  const tested = asCustomer.reduce((n, r) => n + r.operations.tested, 0);
  if (runs.length && tested < operationsInSchema) {
    problems.push(`${tested} of the document's ${operationsInSchema} operations were fuzzed`);
  }
  const failures = runs.reduce((n, r) => n + r.failures.reduce((m, f) => m + f.count, 0), 0);
  const report: FuzzReport = {
    ok: !problems.length && !failures && runs.every((r) => !r.errors.length && r.exitCode === 0),
    baseUrl: o.baseUrl,
    schema,
    schemathesisVersion: runs[0]?.schemathesisVersion ?? null,
    startedAt: startedAt.toISOString(),
    seed,
    durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 100) / 10,
    totals: {
      operationsInSchema,
      operationsTested: tested,
      cases: runs.reduce((n, r) => n + r.cases, 0),
      failures,
    },
    runs,
    problems,
  };
  if (o.reportPath) {
    mkdirSync(dirname(o.reportPath), { recursive: true });
    writeFileSync(o.reportPath, JSON.stringify(report, null, 2) + '\n');
  }
  return report;
}
