/**
 * The ops board's log tile against a real VictoriaLogs (the project's image). Lines go in the way
 * the lab's Splunk log driver leaves them after ingestion (the flattened field names in
 * fields.ts), each test under a stack name of its own; a line of another stack must not count.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { startVictoriaLogs, type StartedHttpService } from '../test-support/containers';
import { VictoriaLogsClient } from './client';
import { F } from './fields';
import { LOG_TILE_THRESHOLDS, logTile, type LogTile } from './log-tile';

let store: StartedHttpService;
let client: VictoriaLogsClient;

beforeAll(async () => {
  store = await startVictoriaLogs();
  client = new VictoriaLogsClient({ baseUrl: store.url, timeoutMs: 5000 });
}, 90_000);
afterAll(() => store?.container.stop());

const newStack = () => `tile-${randomBytes(4).toString('hex')}`;

/** One log line as VictoriaLogs holds it after the Splunk driver shipped it. */
function line(
  stack: string,
  service: string,
  at: number,
  msg: string,
  fields: { level?: number; status?: number } = {},
) {
  return {
    _time: new Date(at * 1000).toISOString(),
    _msg: msg,
    [F.stack]: stack,
    [F.service]: `${stack}_${service}`,
    ...(fields.level !== undefined ? { [F.level]: fields.level } : {}),
    ...(fields.status !== undefined ? { [F.status]: fields.status } : {}),
  };
}

async function insert(lines: object[]) {
  await client.insertJsonLines(lines, { streamFields: [F.stack, F.service] });
}

/** Polls the tile until `done` holds (ingestion is near-immediate, not instant), for at most 10 s. */
async function tileWhen(
  read: () => Promise<LogTile>,
  done: (t: LogTile) => boolean,
): Promise<LogTile> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const t = await read();
    if (done(t) || Date.now() > deadline) return t;
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('errors per minute per service, zero-filled, coloured by the newest full minute, with the top messages', async () => {
  const stack = newStack();
  const now = Date.now();
  const lastFull = Math.floor(now / 60_000) * 60 - 60;
  const apiErrors = Array.from({ length: LOG_TILE_THRESHOLDS.red + 2 }, (_, i) =>
    line(stack, 'api', lastFull + 1 + i, 'unhandled error', { level: 50 }),
  );
  await insert([
    ...apiErrors,
    // A 5xx at the edge is an error line too; an info line and a 404 are not.
    line(stack, 'edge', lastFull + 20, 'request', { status: 503 }),
    line(stack, 'edge', lastFull + 21, 'request', { status: 404 }),
    line(stack, 'api', lastFull + 22, 'request', { level: 30, status: 200 }),
    // A plain (non-JSON) FATAL line from PostgreSQL five minutes earlier.
    line(stack, 'pg1', lastFull - 300 + 5, 'FATAL:  the database system is shutting down'),
    line(stack, 'pg1', lastFull - 300 + 6, 'FATAL:  the database system is shutting down'),
    // Another stack's errors are not this board's.
    line(newStack(), 'api', lastFull + 5, 'unhandled error', { level: 50 }),
  ]);

  const tile = await tileWhen(
    () => logTile({ client, stack }, { now, windowMinutes: 30 }),
    (t) => t.errorsPerMinute.length === 3 && t.errorsPerMinute[0]?.lastMinute === 12,
  );
  expect(tile.status).toBe('red');
  expect(tile.detail).toBe('12 error line(s) in the last full minute (api)');
  expect(tile.windowMinutes).toBe(30);
  expect(
    tile.errorsPerMinute.map((s) => [s.service, s.lastMinute, s.status, s.points.length]),
  ).toEqual([
    ['api', 12, 'red', 30],
    ['edge', 1, 'yellow', 30],
    ['pg1', 0, 'green', 30],
  ]);
  const pg1 = tile.errorsPerMinute[2]!.points;
  expect(pg1[0]![0]).toBe(lastFull - 29 * 60);
  expect(pg1.at(-1)).toEqual([lastFull, 0]);
  expect(pg1.filter(([, n]) => n > 0)).toEqual([[lastFull - 300, 2]]);
  expect(tile.topErrors).toEqual([
    { service: 'api', message: 'unhandled error', count: 12 },
    { service: 'pg1', message: 'FATAL:  the database system is shutting down', count: 2 },
    { service: 'edge', message: 'request', count: 1 },
  ]);
}, 30_000);

test('a stack with no error line is green with empty series', async () => {
  const stack = newStack();
  const now = Date.now();
  await insert([line(stack, 'api', now / 1000 - 30, 'request', { level: 30, status: 200 })]);
  const tile = await logTile({ client, stack }, { now, windowMinutes: 5 });
  expect(tile).toEqual({
    status: 'green',
    detail: '0 error line(s) in the last full minute',
    windowMinutes: 5,
    errorsPerMinute: [],
    topErrors: [],
  });
});

test('a store that does not answer makes the tile unknown with a one-line reason, never a throw', async () => {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  const down = new VictoriaLogsClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 1000 });
  const tile = await logTile({ client: down, stack: 'dhakacart' });
  expect(tile.status).toBe('unknown');
  expect(tile.detail).toBe(
    `the log store at http://127.0.0.1:${port} is not answering (ECONNREFUSED)`,
  );
  expect(tile.errorsPerMinute).toEqual([]);
});
