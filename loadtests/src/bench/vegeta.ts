import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { CA_CERT, REPO_ROOT, assertLocalUrl } from '@dhakacart/lab-client';

/**
 * The Vegeta binary: `VEGETA_BIN`, else the one the README commands build into .cache/bin, else
 * one on PATH. Missing, it is a clear error before any load starts (not a spawn ENOENT mid-run).
 */
export function vegetaBinary(env: NodeJS.ProcessEnv = process.env, repoRoot = REPO_ROOT): string {
  const candidates = [
    env.VEGETA_BIN,
    join(repoRoot, '.cache', 'bin', 'vegeta'),
    ...(env.PATH ?? '')
      .split(delimiter)
      .filter(Boolean)
      .map((d) => join(d, 'vegeta')),
  ].filter((c): c is string => !!c);
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // the next candidate
    }
  }
  throw Object.assign(
    new Error(
      'vegeta is not installed: the README commands (npm run gameday, npm test, npm run load) build it into .cache/bin; or set VEGETA_BIN',
    ),
    { code: 'tool_missing' },
  );
}

/**
 * An open-model, constant-rate attack with Vegeta (MIT, built from the Go module proxy): the
 * rate holds however slowly the system answers, as real visitors arrive. Targets are produced
 * lazily by the caller, and every result comes back as a row to aggregate.
 */
export interface VegetaTarget {
  method: string;
  url: string;
  header?: Record<string, string[]>;
  body?: string;
}

export interface VegetaRow {
  method: string;
  url: string;
  code: number;
  latencyMs: number;
  timestamp: number;
  error: string;
  /** The answer's `X-Cache` (the edge's `HIT` or `MISS`), or null when it has none. */
  cache: string | null;
}

export interface VegetaRun {
  rows: AsyncIterable<VegetaRow>;
  done: Promise<number>;
  stop(): void;
  /** The attack and encode processes (for CPU accounting and a hard stop). */
  processes: ChildProcess[];
}

export function vegetaAttack(o: {
  ratePerSecond: number;
  seconds: number;
  targets: () => VegetaTarget;
  /** Seconds a request may take (default 10). */
  timeoutSeconds?: number;
  /**
   * The most connections the process may hold (default 4,000). The fd cap is 20,000 a process,
   * and it binds the engine's docker-proxy too: it carries every loopback connection to the
   * edge's host port with two descriptors each. After an overload at the old 8,000, its IPv4
   * listener was gone and 127.0.0.1:8443 refused connections until the edge's task was
   * replaced; the descriptor cap is the likely cause.
   */
  maxConnections?: number;
  caFile?: string;
  /**
   * Keep Vegeta's binary results in a file during the attack and decode them only after it
   * (default false: rows arrive live). Live decoding runs `vegeta encode` and a JSON parse per
   * request in Node beside the attack; on two cores at a few thousand requests a second that
   * work competed with the system under test and tripled its measured p99 (ADR 0206). For a
   * measurement that needs no live view, such as the capacity benchmark's open-model stage.
   */
  deferRows?: boolean;
}): VegetaRun {
  const bin = vegetaBinary();
  const resultsFile = o.deferRows
    ? join(mkdtempSync(join(tmpdir(), 'vegeta-')), 'results.bin')
    : null;
  const resultsFd = resultsFile ? openSync(resultsFile, 'w') : null;
  const attack = spawn(
    bin,
    [
      'attack',
      '-lazy',
      '-format=json',
      `-rate=${Math.max(1, Math.round(o.ratePerSecond))}/s`,
      `-duration=${o.seconds}s`,
      `-timeout=${o.timeoutSeconds ?? 10}s`,
      `-max-connections=${o.maxConnections ?? 4000}`,
      `-root-certs=${o.caFile ?? CA_CERT}`,
      '-keepalive=true',
    ],
    { stdio: ['pipe', resultsFd ?? 'pipe', 'inherit'] },
  );
  if (resultsFd !== null) closeSync(resultsFd); // the child holds its own copy
  const startEncode = () => {
    const encode = spawn(bin, ['encode', '--to', 'json', ...(resultsFile ? [resultsFile] : [])], {
      stdio: [resultsFile ? 'ignore' : 'pipe', 'pipe', 'inherit'],
    });
    if (!resultsFile) {
      // A stop (Ctrl-C reaches the whole process group, and the load runner signals every child)
      // can end the decoder while the attack still writes its last results: that write fails
      // with EPIPE, and unhandled it would crash the caller before it reports (seen at the end
      // of a release's gate and of an aborted game day).
      // And the attack's output keeps draining (nowhere), so the attack is never blocked on a
      // full pipe and ends by itself.
      encode.stdin!.on('error', () => undefined);
      encode.on('exit', () => {
        attack.stdout!.unpipe();
        attack.stdout!.resume();
      });
      attack.stdout!.pipe(encode.stdin!);
    }
    return encode;
  };
  const liveEncode = resultsFile ? null : startEncode();
  let stopped = false;
  // Feed targets as vegeta asks for them (back-pressure through the pipe).
  const feed = () => {
    while (!stopped) {
      const t = o.targets();
      assertLocalUrl(t.url);
      const line = JSON.stringify({
        method: t.method,
        url: t.url,
        header: t.header,
        body: t.body === undefined ? undefined : Buffer.from(t.body).toString('base64'),
      });
      if (!attack.stdin!.write(line + '\n')) {
        attack.stdin!.once('drain', feed);
        return;
      }
    }
  };
  attack.stdin!.on('error', () => undefined);
  feed();
  const done = new Promise<number>((resolve) => {
    attack.on('exit', (code) => {
      stopped = true;
      attack.stdin!.destroy();
      resolve(code ?? 1);
    });
  });
  async function* rows(): AsyncIterable<VegetaRow> {
    let encode = liveEncode;
    try {
      if (!encode) {
        await done;
        encode = startEncode();
      }
      for await (const line of createInterface({ input: encode.stdout! })) {
        if (!line.trim()) continue;
        const r = JSON.parse(line) as {
          method: string;
          url: string;
          code: number;
          latency: number;
          timestamp: string;
          error: string;
          headers?: Record<string, string[]> | null;
        };
        yield {
          method: r.method,
          url: r.url,
          code: r.code,
          latencyMs: r.latency / 1e6,
          timestamp: Date.parse(r.timestamp),
          error: r.error,
          cache: r.headers?.['X-Cache']?.[0] ?? null,
        };
      }
    } finally {
      // Also when the reader stops early (break, a throw): no results file is left behind.
      if (encode && encode !== liveEncode && encode.exitCode === null) encode.kill();
      if (resultsFile) rmSync(dirname(resultsFile), { recursive: true, force: true });
    }
  }
  return {
    rows: rows(),
    done,
    processes: liveEncode ? [attack, liveEncode] : [attack],
    stop() {
      stopped = true;
      attack.kill('SIGINT');
    },
  };
}

/** Nearest-rank percentile of a list of numbers (0 for an empty list). */
export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * The p-th percentile of each whole second of `rows` from `start` to `end` (epoch ms, end
 * excluded), in order: where in time a tail sits (a few slow seconds, or every second a little
 * slow). A second that had no row reads 0, meaning nothing was sent in it (Vegeta sends at a
 * constant rate and a row's time is its send time, so a stalled second still has rows and reads
 * slow). Rows outside the window are left out: the last requests sent by an attack that ran a
 * few milliseconds long would be a second of their own.
 */
export function percentilePerSecond(
  rows: { at: number; ms: number }[],
  p: number,
  start: number,
  end = Infinity,
): number[] {
  const seconds: number[][] = [];
  for (const r of rows) {
    if (r.at < start || r.at >= end) continue;
    (seconds[Math.floor((r.at - start) / 1000)] ??= []).push(r.ms);
  }
  return Array.from(seconds, (s) => percentile(s ?? [], p));
}
