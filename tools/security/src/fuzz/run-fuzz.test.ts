import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { junitExamples, runFuzz } from './run-fuzz';

// A small server that breaks each rule once, with a document of its own: the runner must report
// all three (a 5xx, a stack trace in a 200, an answer outside the document). The runner against
// the real API is in fuzz-api.test.ts.
const STACK = 'TypeError: x is undefined\n    at handler (/app/dist/http/routes/leak.js:10:5)';
const json = { 'application/json': { schema: { type: 'object' } } };
const doc = {
  openapi: '3.1.0',
  info: { title: 'broken', version: '1' },
  paths: {
    '/api/auth/register': {
      post: {
        requestBody: { required: true, content: json },
        responses: { 201: { description: 'ok', content: json }, 400: { description: 'bad' } },
      },
    },
    '/api/boom': { get: { responses: { 200: { description: 'ok', content: json } } } },
    '/api/leak': { get: { responses: { 200: { description: 'ok', content: json } } } },
    '/api/drift': {
      get: {
        responses: {
          200: {
            description: 'ok',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { id: { type: 'integer' } },
                  required: ['id'],
                },
              },
            },
          },
        },
      },
    },
  },
};

let server: Server;
let baseUrl: string;
const dir = mkdtempSync(join(tmpdir(), 'fuzz-broken-'));
const schemaPath = join(dir, 'openapi.json');

beforeAll(async () => {
  writeFileSync(schemaPath, JSON.stringify(doc));
  server = createServer((req, res) => {
    req.resume();
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'POST' && path === '/api/auth/register') {
      return send(201, { user: {} }, { 'set-cookie': 'sid=fuzz-token; Path=/; HttpOnly' });
    }
    if (req.method === 'GET' && path === '/api/boom') return send(500, { error: 'boom' });
    if (req.method === 'GET' && path === '/api/leak') return send(200, { message: STACK });
    if (req.method === 'GET' && path === '/api/drift') return send(200, { id: 'not-a-number' });
    // What the edge answers on an api probe's path: the storefront's page.
    if (req.method === 'GET' && path === '/livez') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end('<!doctype html><title>store</title>');
    }
    send(req.method === 'GET' ? 404 : 405, { error: 'no' }, { allow: 'GET' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

test('a 5xx, a stack trace and an answer outside the document each fail the run', async () => {
  const reportPath = join(dir, 'report', 'fuzz.json');
  const report = await runFuzz({
    baseUrl,
    schemaPath,
    budgetSeconds: 20,
    maxExamples: 5,
    reportPath,
    seed: 1,
  });
  expect(report.ok).toBe(false);
  expect(report.seed).toBe(1);
  expect(JSON.parse(readFileSync(reportPath, 'utf8'))).toEqual(report);
  const byOperation = (code: string) =>
    report.runs.flatMap((r) =>
      r.failures.filter((f) => f.code === code).flatMap((f) => f.operations),
    );
  expect(byOperation('ST101')).toContain('GET /api/boom'); // server error
  expect(byOperation('ST108')).toContain('GET /api/drift'); // response violates the schema
  expect(byOperation('ST901')).toContain('GET /api/leak'); // our no_stack_trace check
  const leak = report.runs.flatMap((r) => r.examples).find((e) => e.operation === 'GET /api/leak');
  expect(leak?.excerpt).toMatch(/stack trace in the body: 'at handler \(/);
  expect(report.totals.operationsInSchema).toBe(4);
  expect(report.totals.operationsTested).toBe(4);
}, 240_000);

test('failure texts are read from the JUnit report with XML entities decoded', () => {
  const xml =
    '<testsuite><testcase name="GET /a"><failure type="failure" message="ST101">x &amp; y &lt;1&gt;</failure></testcase>' +
    '<testcase name="GET /b" /></testsuite>';
  expect(junitExamples(xml)).toEqual([
    { operation: 'GET /a', code: 'ST101', excerpt: 'x & y <1>' },
  ]);
});

test('a failure is named for its own case, not for a passing case written before it', () => {
  const xml =
    '<testsuite><testcase name="POST /p" time="0.1"/>' +
    '<testcase time="0.2" name="GET /q"><failure message="ST201">accepted</failure></testcase>' +
    '<testcase name="GET /r"></testcase></testsuite>';
  expect(junitExamples(xml)).toEqual([{ operation: 'GET /q', code: 'ST201', excerpt: 'accepted' }]);
});

test("--no-probes leaves the api's /livez out: through the edge it is the storefront's page", async () => {
  const withProbe = {
    ...doc,
    paths: {
      '/api/auth/register': doc.paths['/api/auth/register'],
      '/api/drift': doc.paths['/api/drift'],
      '/livez': { get: { responses: { 200: { description: 'alive', content: json } } } },
    },
  };
  const probePath = join(dir, 'with-probe.json');
  writeFileSync(probePath, JSON.stringify(withProbe));
  const fuzz = (probes: boolean) =>
    runFuzz({ baseUrl, schemaPath: probePath, budgetSeconds: 12, maxExamples: 3, seed: 2, probes });
  const named = (r: Awaited<ReturnType<typeof fuzz>>) =>
    r.runs.flatMap((x) => x.failures.flatMap((f) => f.operations));

  const all = await fuzz(true);
  expect(named(all)).toContain('GET /livez'); // the HTML is not the documented JSON
  expect(all.totals.operationsInSchema).toBe(3);

  const noProbes = await fuzz(false);
  expect(named(noProbes).filter((op) => op.includes('/livez'))).toEqual([]);
  expect(named(noProbes)).toContain('GET /api/drift'); // the rest is still fuzzed
  expect(noProbes.totals).toMatchObject({ operationsInSchema: 2, operationsTested: 2 });
  expect(noProbes.problems).toEqual([]);
}, 240_000);

test('a run without a seed draws one, logs it and reports it, so its cases can be repeated', async () => {
  const lines: string[] = [];
  const r = await runFuzz({
    baseUrl,
    schemaPath,
    budgetSeconds: 8,
    maxExamples: 1,
    log: (l) => lines.push(l),
  });
  expect(Number.isInteger(r.seed)).toBe(true);
  expect(r.seed).toBeGreaterThanOrEqual(0);
  expect(r.seed).toBeLessThan(2 ** 31);
  expect(lines[0]).toBe(`fuzz: seed ${r.seed}`);
  expect(r.runs.length).toBeGreaterThan(0);
}, 120_000);
