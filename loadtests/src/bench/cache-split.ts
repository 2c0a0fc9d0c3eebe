import { percentile } from './vegeta';

/**
 * Where a tail sits: the edge's hits and misses (its `X-Cache`) apart. A p99 over a mix whose
 * misses are more than 1% of it is a figure about misses; the answer to "is the tail the cache's
 * misses or the whole host" is in `slowMissShare`, the share of the slow requests that were
 * misses, beside `missShare`, their share of all requests. Equal shares: the slow requests are
 * spread over hits and misses alike (the host); a much larger slow share: the misses.
 */
export interface CacheSplit {
  requests: number;
  missShare: number;
  hitP99Ms: number;
  missP99Ms: number;
  /** Requests slower than `slowMs`, and the share of them that were misses. */
  slowRequests: number;
  slowMissShare: number;
}

const round = (n: number, d: number) => Math.round(n * 10 ** d) / 10 ** d;

/** Rows without an `X-Cache` (not a catalogue read, or an error) count as misses. */
export function splitByCache(
  rows: { ms: number; cache: string | null }[],
  slowMs: number,
): CacheSplit {
  const hits = rows.filter((r) => r.cache === 'HIT').map((r) => r.ms);
  const misses = rows.filter((r) => r.cache !== 'HIT').map((r) => r.ms);
  const slow = rows.filter((r) => r.ms > slowMs);
  return {
    requests: rows.length,
    missShare: round(misses.length / Math.max(1, rows.length), 4),
    hitP99Ms: round(percentile(hits, 99), 1),
    missP99Ms: round(percentile(misses, 99), 1),
    slowRequests: slow.length,
    slowMissShare: round(
      slow.filter((r) => r.cache !== 'HIT').length / Math.max(1, slow.length),
      4,
    ),
  };
}
