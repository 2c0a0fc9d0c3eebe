/**
 * The CLI's contract without a store: every kind of bad input and a store that is down or hangs
 * gets its own exit code and a one-line message, and nothing waits past --timeout.
 */
import { createServer, type Server } from 'node:net';
import { EXIT, HELP, runCli } from './cli';

function capture(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s), env },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

/** A TCP server that accepts connections and never answers: a hung store. */
async function silentServer(): Promise<{ port: number; server: Server }> {
  const server = createServer(() => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as { port: number }).port, server };
}

/** A port with nothing listening: a store that is down. */
async function closedPort(): Promise<number> {
  const { port, server } = await silentServer();
  await new Promise((r) => server.close(r));
  return port;
}

test('--help documents every command and every exit code, and exits 0', async () => {
  const c = capture();
  expect(await runCli(['--help'], c.io)).toBe(EXIT.ok);
  for (const cmd of ['errors', 'customer', 'request', 'trend']) expect(c.out()).toContain(cmd);
  for (const code of Object.values(EXIT)) expect(HELP).toMatch(new RegExp(`\\b${code}  `));
});

test.each([
  [['frobnicate'], EXIT.usage, /unknown command "frobnicate"/],
  [[], EXIT.usage, /no command/],
  [['errors', '--bogus'], EXIT.usage, /Unknown option/],
  [['errors', 'extra'], EXIT.usage, /errors takes no arguments/],
  [['errors', '--service', 'API!'], EXIT.usage, /is not a service name/],
  [['request'], EXIT.usage, /request takes one request id/],
  [['request', 'a b'], EXIT.usage, /a request id is/],
  [['customer'], EXIT.usage, /customer takes one/],
  [['customer', 'nobody'], EXIT.usage, /email address or a user id/],
  [['errors', '--since', 'yesterday'], EXIT.badSince, /is not a duration/],
  [['trend', '--since', '90d'], EXIT.badSince, /longer than 31 days/],
  [['errors', '--timeout', '0'], EXIT.usage, /--timeout/],
  [['errors', '--timeout', '1e1'], EXIT.usage, /--timeout must be a number of seconds/],
  [['errors', '--timeout', '0x5'], EXIT.usage, /--timeout must be a number of seconds/],
])('%j exits %i with a clear message and no stack trace', async (argv, code, message) => {
  const c = capture({ LOGS_URL: `http://127.0.0.1:${await closedPort()}` });
  expect(await runCli(argv, c.io)).toBe(code);
  expect(c.err()).toMatch(message);
  expect(c.err()).not.toMatch(/\n\s+at /);
});

test('a store that is down exits 6, with a JSON error under --json', async () => {
  const c = capture({ LOGS_URL: `http://127.0.0.1:${await closedPort()}` });
  expect(await runCli(['errors', '--json'], c.io)).toBe(EXIT.storeDown);
  expect(JSON.parse(c.out())).toEqual({
    error: {
      code: 'log_store_down',
      message: expect.stringMatching(/not answering \(ECONNREFUSED\)/),
    },
  });
});

test('a store that accepts but never answers is given up on at --timeout, exit 6', async () => {
  const { port, server } = await silentServer();
  try {
    const c = capture({ LOGS_URL: `http://127.0.0.1:${port}` });
    const t0 = Date.now();
    expect(await runCli(['trend', '--timeout', '1.5'], c.io)).toBe(EXIT.storeDown);
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(1400);
    expect(took).toBeLessThan(4000);
    expect(c.err()).toMatch(/no answer within 1500 ms/);
  } finally {
    server.close();
  }
});

test('customer <email> without PGHOST and without a lab says how to fix it (exit 8) and never echoes the email', async () => {
  const c = capture({ LOGS_URL: `http://127.0.0.1:${await closedPort()}` });
  // No PGHOST: the lab's database, through a member's psql; here the engine does not exist.
  const saved = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
  try {
    expect(await runCli(['customer', 'rahima.k@example.test'], c.io)).toBe(EXIT.directoryDown);
  } finally {
    if (saved === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = saved;
  }
  expect(c.err()).toMatch(
    /set PGHOST and PGPASSWORD_FILE for another database, or pass the user id/,
  );
  expect(c.out() + c.err()).not.toContain('rahima');
});

test('a bad LOGS_URL or LOGS_STACK is refused before any request', async () => {
  const c = capture({ LOGS_URL: 'ftp://x' });
  expect(await runCli(['errors'], c.io)).toBe(EXIT.usage);
  expect(c.err()).toMatch(/LOGS_URL "ftp:\/\/x" is not an http\(s\) URL/);
  const d = capture({ LOGS_STACK: 'Bad Stack' });
  expect(await runCli(['errors'], d.io)).toBe(EXIT.usage);
  // Only this machine: the operators' credentials never go anywhere else.
  const e = capture({ LOGS_URL: 'https://logs.example.test:9429' });
  expect(await runCli(['errors'], e.io)).toBe(EXIT.usage);
  expect(e.err()).toMatch(/LOGS_URL: refusing to send traffic to logs\.example\.test:9429/);
});
