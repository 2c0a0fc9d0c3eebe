import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageRef } from '@dhakacart/images';
import { must, run } from '@dhakacart/lab-client';

// How the lab edge's HAProxy (the project's own image) counts the responses the availability
// SLOs read, `haproxy_backend_http_responses_total{proxy,code}` (ADR 0202): measured on a
// throwaway HAProxy with the edge's cache and retry settings and stand-in replicas served by the
// same process, never on the running lab. The retry settings are the real edge's lines, read
// from its configuration, so that a change to them is measured here.

const EDGE_CFG = readFileSync(join(__dirname, '..', 'haproxy', 'edge.cfg'), 'utf8');
/** The one line of the real edge configuration that matches, or the test fails naming it. */
function edgeLine(re: RegExp): string {
  const found = EDGE_CFG.split('\n').filter((l) => re.test(l));
  if (found.length !== 1) throw new Error(`edge.cfg: expected one line matching ${re}`);
  return found[0]!.trim();
}
const RETRIES = edgeLine(/^\s+retries /);
const REDISPATCH = edgeLine(/^\s+option redispatch/);
const RETRY_ON = edgeLine(/^\s+retry-on /);
const NO_WRITE_REPLAY = edgeLine(/^\s+http-request disable-l7-retry /);
/** Attempts a replayed request gets: the first, then `retries` more. */
const TRIES = 1 + Number(RETRIES.split(/\s+/)[1]);

const CFG = `
global
    maxconn 100
defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 1s
    ${RETRIES}
    ${REDISPATCH}
    ${RETRY_ON}
cache catalogue
    total-max-size 4
    max-age 5
frontend fe
    bind :8080
    ${NO_WRITE_REPLAY}
    use_backend be_all503 if { path_beg /all503 }
    use_backend be_cache if { path_beg /cache }
    use_backend be_down if { path_beg /down }
    use_backend be_slow if { path_beg /slow }
    use_backend be_retry if { path_beg /retry }
    default_backend be_ok
backend be_cache
    http-request cache-use catalogue
    http-response cache-store catalogue
    server s1 127.0.0.1:9000
backend be_ok
    server s1 127.0.0.1:9000
# No replica ready: the only server is down (nothing listens), so HAProxy answers 503 itself.
backend be_down
    server s1 127.0.0.1:9999 check inter 500 fall 1
# A replica that never answers within timeout server: HAProxy answers 504 itself.
backend be_slow
    server s1 127.0.0.1:9001
# One replica answers 503, the other 200; retry-on 503 sends the request on.
backend be_retry
    balance roundrobin
    server bad 127.0.0.1:9002
    server good 127.0.0.1:9000
# Every replica answers 503 (a database outage: the same answer on each).
backend be_all503
    server bad 127.0.0.1:9002
frontend replica_ok
    bind 127.0.0.1:9000
    http-request return status 500 content-type text/plain string boom if { path_end /err }
    http-request return status 200 content-type text/plain string ok hdr cache-control "public, max-age=5, s-maxage=1" if { path_end /shared1 }
    http-request return status 200 content-type text/plain string ok hdr cache-control "public, max-age=5"
frontend replica_slow
    bind 127.0.0.1:9001
    timeout tarpit 3s
    http-request tarpit
frontend replica_503
    bind 127.0.0.1:9002
    http-request return status 503 content-type text/plain string busy
frontend internal
    bind :8405
    http-request use-service prometheus-exporter if { path /metrics }
`;

let dir: string;
let container = '';
let edge = '';
let metricsUrl = '';

async function hostPort(port: number): Promise<string> {
  const out = await must('docker', ['port', container, `${port}/tcp`]);
  return out.split('\n')[0]!.trim();
}

async function statuses(path: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${edge}${path}`, { signal: AbortSignal.timeout(10_000) });
    await res.arrayBuffer();
    out.push(res.status);
  }
  return out;
}

async function counters(): Promise<Map<string, number>> {
  const text = await (await fetch(metricsUrl, { signal: AbortSignal.timeout(5_000) })).text();
  const m = new Map<string, number>();
  for (const line of text.split('\n')) {
    const hit =
      /^(haproxy_(?:backend|server)_(?:http_responses_total|http_cache_hits_total|retry_warnings_total)\{[^}]*\}|haproxy_frontend_http_requests_total\{[^}]*\}) (\S+)$/.exec(
        line,
      );
    if (hit) m.set(hit[1]!, Number(hit[2]));
  }
  return m;
}

/** Requests the failing replica (the replica_503 frontend) received. */
const seenBy503Replica = async (): Promise<number> =>
  (await counters()).get('haproxy_frontend_http_requests_total{proxy="replica_503"}') ?? NaN;

const responses = (m: Map<string, number>, proxy: string, code: string): number =>
  m.get(`haproxy_backend_http_responses_total{proxy="${proxy}",code="${code}"}`) ?? NaN;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'edge-counting-'));
  writeFileSync(join(dir, 'haproxy.cfg'), CFG);
  container = (
    await must('docker', [
      'run',
      '-d',
      '--rm',
      '-p',
      '127.0.0.1::8080',
      '-p',
      '127.0.0.1::8405',
      '-v',
      `${join(dir, 'haproxy.cfg')}:/usr/local/etc/haproxy/haproxy.cfg:ro`,
      imageRef('haproxy'),
    ])
  ).trim();
  edge = `http://${await hostPort(8080)}`;
  metricsUrl = `http://${await hostPort(8405)}/metrics`;
  // Ready once the exporter answers and the dead server has failed its first check.
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ready = await counters()
      .then(() => statuses('/down', 1))
      .catch(() => []);
    if (ready[0] === 503) break;
    if (Date.now() > deadline) throw new Error('the throwaway HAProxy did not come up');
    await new Promise((r) => setTimeout(r, 250));
  }
}, 60_000);

afterAll(async () => {
  if (container) await run('docker', ['rm', '-f', container]);
  rmSync(dir, { recursive: true, force: true });
});

test("HAProxy 2.6 counts its own 503s (no replica ready) in the backend's 5xx", async () => {
  const before = await counters();
  expect(await statuses('/down', 3)).toEqual([503, 503, 503]);
  const after = await counters();
  expect(responses(after, 'be_down', '5xx') - responses(before, 'be_down', '5xx')).toBe(3);
});

test("HAProxy 2.6 counts its own 504s (the replica timed out) in the backend's 5xx", async () => {
  const before = await counters();
  expect(await statuses('/slow', 2)).toEqual([504, 504]);
  const after = await counters();
  expect(responses(after, 'be_slow', '5xx') - responses(before, 'be_slow', '5xx')).toBe(2);
}, 30_000);

test('responses served from the cache count as backend responses (2xx), like misses', async () => {
  const before = await counters();
  expect(await statuses('/cache/a', 5)).toEqual([200, 200, 200, 200, 200]);
  const after = await counters();
  expect(responses(after, 'be_cache', '2xx') - responses(before, 'be_cache', '2xx')).toBe(5);
  const hits = (m: Map<string, number>) =>
    m.get('haproxy_backend_http_cache_hits_total{proxy="be_cache"}') ?? NaN;
  expect(hits(after) - hits(before)).toBe(4);
});

test("a replica's 500 passes through and counts in the backend's 5xx", async () => {
  const before = await counters();
  expect(await statuses('/err', 2)).toEqual([500, 500]);
  const after = await counters();
  expect(responses(after, 'be_ok', '5xx') - responses(before, 'be_ok', '5xx')).toBe(2);
});

test('a 503 retried to a good replica counts once, as the 200 the customer got', async () => {
  const before = await counters();
  expect(await statuses('/retry', 4)).toEqual([200, 200, 200, 200]);
  const after = await counters();
  const delta = (key: string) => (after.get(key) ?? NaN) - (before.get(key) ?? NaN);
  expect(responses(after, 'be_retry', '2xx') - responses(before, 'be_retry', '2xx')).toBe(4);
  expect(responses(after, 'be_retry', '5xx') - responses(before, 'be_retry', '5xx')).toBe(0);
  // Not even the failing server's own counter shows the 503: only the retry counter does.
  expect(
    delta('haproxy_server_http_responses_total{proxy="be_retry",server="bad",code="5xx"}'),
  ).toBe(0);
  expect(delta('haproxy_backend_retry_warnings_total{proxy="be_retry"}')).toBeGreaterThan(0);
});

test("the cache keeps an answer for its s-maxage, not its longer max-age (the api's spread expiry)", async () => {
  const hits = async (path: string) => {
    const before = await counters();
    await statuses(path, 1);
    const after = await counters();
    const key = 'haproxy_backend_http_cache_hits_total{proxy="be_cache"}';
    return (after.get(key) ?? NaN) - (before.get(key) ?? NaN);
  };
  // HAProxy's cache keeps whole seconds from the wall clock: an answer stored at x.999 s with a
  // 1 s lifetime is gone at x+1.0. Store it early in a second, as the checks below assume.
  await new Promise((r) => setTimeout(r, 1050 - (Date.now() % 1000)));
  expect(await hits('/cache/x/shared1')).toBe(0); // stored
  expect(await hits('/cache/y')).toBe(0); // stored, max-age 5 only
  expect(await hits('/cache/x/shared1')).toBe(1);
  await new Promise((r) => setTimeout(r, 2100));
  expect(await hits('/cache/x/shared1')).toBe(0); // expired after its 1 s s-maxage
  expect(await hits('/cache/y')).toBe(1); // still within its 5 s
});

describe('replays on a 503 (the retry-on answers): reads and keyed writes only', () => {
  async function sent(method: string, headers: Record<string, string> = {}) {
    const before = await seenBy503Replica();
    const res = await fetch(`${edge}/all503/x`, {
      method,
      headers,
      body: method === 'POST' ? '{}' : undefined,
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer();
    return { status: res.status, attempts: (await seenBy503Replica()) - before };
  }

  test('a read is retried (1 + retries attempts) before the 503 reaches the client', async () => {
    expect(await sent('GET')).toEqual({ status: 503, attempts: TRIES });
  });

  test('a sign-up or any write without an Idempotency-Key is sent once, never replayed', async () => {
    expect(await sent('POST')).toEqual({ status: 503, attempts: 1 });
    expect(await sent('DELETE')).toEqual({ status: 503, attempts: 1 });
  });

  test('a checkout, whose Idempotency-Key makes a replay safe, is retried like a read', async () => {
    expect(await sent('POST', { 'idempotency-key': 'k-1' })).toEqual({
      status: 503,
      attempts: TRIES,
    });
  });
});
