import { randomBytes } from 'node:crypto';
import { must, run } from '@dhakacart/lab-client';

/**
 * A test host of the project's own: a network namespace joined to this machine by a veth pair
 * with private addresses (IPv4 /30 and IPv6 ULA /64) that no route of the machine uses. From it,
 * this machine is "another computer on the network" at the host end's address, and nothing else
 * is reachable: no other address is routed. Made and removed by the caller; every probe is
 * bounded in time.
 */
export interface TestHost {
  netns: string;
  /** This machine as the test host sees it. */
  hostV4: string;
  hostV6: string;
  /** The test host's own addresses. */
  nsV4: string;
  nsV6: string;
  remove(): Promise<void>;
}

/** What one probe found: no answer in time, refused, a TCP connection, or an HTTP status. */
export type ProbeResult = 'timeout' | 'refused' | 'open' | `http ${number}` | `error ${string}`;

export interface ProbeTarget {
  host: string;
  port: number;
  /** An HTTPS GET of this path instead of a bare connection, trusting only `caPem`. */
  https?: { path: string; servername: string; caPem: string };
}

const ip = (args: string[]) => must('ip', args);

/** Address ranges in use on this machine (routes and addresses), as `a.b.c.d/n` or `x::/n`. */
async function usedPrefixes(): Promise<string[]> {
  const out = `${await ip(['-4', 'route', 'show', 'table', 'all'])}\n${await ip(['-6', 'route', 'show', 'table', 'all'])}\n${await ip(['-o', 'addr'])}`;
  return [
    ...out.matchAll(
      /(?:^|\s)((?:\d{1,3}\.){3}\d{1,3}(?:\/\d+)?|[0-9a-f]*:[0-9a-f:]+(?:\/\d+)?)/gim,
    ),
  ].map((m) => m[1]!);
}

const v4ToInt = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);

/** Whether an IPv4 prefix in use overlaps a.b.c.d/30. */
export function overlapsV4(used: string[], base: string): boolean {
  const lo = v4ToInt(base);
  const hi = lo + 3;
  return used
    .filter((p) => /^\d/.test(p))
    .some((p) => {
      const [addr, len = '32'] = p.split('/');
      const size = 2 ** (32 - Number(len));
      const start = Math.floor(v4ToInt(addr!) / size) * size;
      return start <= hi && start + size - 1 >= lo;
    });
}

/** Makes the namespace and the veth pair; `remove()` takes both away. */
export async function createTestHost(): Promise<TestHost> {
  const id = randomBytes(3).toString('hex');
  const netns = `dcops-${id}`;
  const vHost = `dco${id}h`;
  const vNs = `dco${id}n`;
  const used = await usedPrefixes();
  let base = '';
  for (let i = 0; i < 50 && !base; i++) {
    const c = `192.168.${200 + (randomBytes(1)[0]! % 55)}.${(randomBytes(1)[0]! % 64) * 4}`;
    if (!overlapsV4(used, c)) base = c;
  }
  if (!base) throw new Error('no free private /30 for the test host');
  const [a, b, c, d] = base.split('.').map(Number) as [number, number, number, number];
  const hostV4 = `${a}.${b}.${c}.${d + 1}`;
  const nsV4 = `${a}.${b}.${c}.${d + 2}`;
  const g = randomBytes(5).toString('hex');
  const ula = `fd${g.slice(0, 2)}:${g.slice(2, 6)}:${g.slice(6, 10)}:1`;
  if (used.some((p) => p.toLowerCase().startsWith(ula.slice(0, 9))))
    throw new Error(`the random ULA prefix ${ula}::/64 is in use; try again`);
  const hostV6 = `${ula}::1`;
  const nsV6 = `${ula}::2`;
  const remove = async () => {
    await run('ip', ['netns', 'del', netns]);
    await run('ip', ['link', 'del', vHost]);
  };
  try {
    await ip(['netns', 'add', netns]);
    await ip(['link', 'add', vHost, 'type', 'veth', 'peer', 'name', vNs]);
    await ip(['link', 'set', vNs, 'netns', netns]);
    await ip(['addr', 'add', `${hostV4}/30`, 'dev', vHost]);
    await ip(['-6', 'addr', 'add', `${hostV6}/64`, 'dev', vHost, 'nodad']);
    await ip(['link', 'set', vHost, 'up']);
    const inNs = (args: string[]) => ip(['netns', 'exec', netns, 'ip', ...args]);
    await inNs(['addr', 'add', `${nsV4}/30`, 'dev', vNs]);
    await inNs(['-6', 'addr', 'add', `${nsV6}/64`, 'dev', vNs, 'nodad']);
    await inNs(['link', 'set', vNs, 'up']);
    await inNs(['link', 'set', 'lo', 'up']);
  } catch (e) {
    await remove();
    throw e;
  }
  return { netns, hostV4, hostV6, nsV4, nsV6, remove };
}

/** Runs in the test host: one result per target, each bounded by `timeoutMs`. */
const PROBE = `
const net = require('net'), https = require('https');
const [targets, timeoutMs] = JSON.parse(process.argv[1]);
const one = (t) => new Promise((resolve) => {
  const done = (r) => { clearTimeout(timer); resolve(r); };
  const timer = setTimeout(() => { req && req.destroy(); sock && sock.destroy(); resolve('timeout'); }, timeoutMs);
  let req, sock;
  const fail = (e) => done(e.code === 'ECONNREFUSED' ? 'refused' : 'error ' + (e.code || e.message));
  if (t.https) {
    req = https.get({ host: t.host, port: t.port, path: t.https.path, servername: t.https.servername,
      ca: t.https.caPem, agent: false }, (res) => { res.resume(); done('http ' + res.statusCode); });
    req.on('error', fail);
  } else {
    sock = net.connect({ host: t.host, port: t.port }, () => { sock.destroy(); done('open'); });
    sock.on('error', fail);
  }
});
Promise.all(targets.map(one)).then((r) => console.log(JSON.stringify(r)));
`;

export async function probeFrom(
  host: TestHost,
  targets: ProbeTarget[],
  timeoutMs = 3000,
): Promise<ProbeResult[]> {
  const out = await must('ip', [
    'netns',
    'exec',
    host.netns,
    process.execPath,
    '-e',
    PROBE,
    JSON.stringify([targets, timeoutMs]),
  ]);
  return JSON.parse(out.trim().split('\n').pop()!) as ProbeResult[];
}
