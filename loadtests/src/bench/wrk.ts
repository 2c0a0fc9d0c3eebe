import { join } from 'node:path';
import { assertLocalUrl, run } from '@dhakacart/lab-client';

export const WRK_SCRIPTS = join(__dirname, '..', '..', 'wrk');

export interface WrkResult {
  url: string;
  connections: number;
  seconds: number;
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Connect, read, write and time-out errors, plus non-2xx/3xx answers. */
  errors: number;
  /** Answers the edge served from its cache (X-Cache: HIT), when it says so. */
  hits: number;
  misses: number;
}

interface WrkJson {
  requests: number;
  durationUs: number;
  errors: Record<'connect' | 'read' | 'write' | 'status' | 'timeout', number>;
  p50Us: number;
  p99Us: number;
  maxUs: number;
  hits: number;
  misses: number;
}

/**
 * One closed-loop measurement with wrk (Debian's package): `connections` keep-alive connections
 * on one thread for `seconds`, against a server on this machine only.
 */
export async function runWrk(o: {
  url: string;
  seconds: number;
  connections?: number;
  threads?: number;
  script?: 'summary.lua' | 'browse-mix.lua';
  args?: string[];
  timeoutSeconds?: number;
}): Promise<WrkResult> {
  assertLocalUrl(o.url);
  const connections = o.connections ?? 100;
  const r = await run('wrk', [
    `-t${o.threads ?? 1}`,
    `-c${connections}`,
    `-d${o.seconds}s`,
    `--timeout`,
    `${o.timeoutSeconds ?? 5}s`,
    '-s',
    join(WRK_SCRIPTS, o.script ?? 'summary.lua'),
    o.url,
    ...(o.args?.length ? ['--', ...o.args] : []),
  ]);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  let j: WrkJson;
  try {
    j = JSON.parse(line) as WrkJson;
  } catch {
    throw new Error(
      `wrk ${o.url} gave no summary (exit ${r.code}): ${(r.stderr || r.stdout).slice(-400)}`,
    );
  }
  const errors = Object.values(j.errors).reduce((a, b) => a + b, 0);
  return {
    url: o.url,
    connections,
    seconds: o.seconds,
    requests: j.requests,
    rps: Math.round((j.requests / j.durationUs) * 1e6),
    p50Ms: j.p50Us / 1000,
    p99Ms: j.p99Us / 1000,
    maxMs: j.maxUs / 1000,
    errors,
    hits: j.hits,
    misses: j.misses,
  };
}
