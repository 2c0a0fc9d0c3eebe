// The ops board's service: one observation of Prometheus (and of the log store) at a time,
// shared by every open board for a short while, so ten staff with the page open cost one set of
// queries every 15 s.
import type { LogTile } from '../log-store/log-tile';
import type { Logger } from '../logger';
import { PrometheusError } from '../ops/prometheus';
import { SPARK_STEP_SECONDS, SPARK_WINDOW_SECONDS, type OpsSource } from '../ops/queries';
import { AppError } from './errors';
import { buildOpsStatus, type OpsStatus } from './ops-status';

/** A failed read is remembered for less time than a good one: retry soon, but not per request. */
const FAILURE_TTL_MS = 5000;

export interface OpsServiceDeps {
  /** null when PROMETHEUS_URL is unset. */
  source: OpsSource | null;
  /** The log tile's reading (never rejects); null when LOGS_URL is unset. */
  logs: (() => Promise<LogTile>) | null;
  cacheTtlMs: number;
  log: Logger;
  now?: () => number;
}

export function opsService(d: OpsServiceDeps) {
  const now = d.now ?? Date.now;
  let cached: { at: number; ttl: number; value: Promise<OpsStatus> } | null = null;

  async function read(source: OpsSource): Promise<OpsStatus> {
    // Read beside Prometheus; it never rejects (a store that does not answer is "unknown").
    const logs = d.logs ? d.logs() : Promise.resolve(null);
    try {
      const o = await source.read(now() / 1000);
      return buildOpsStatus(
        o,
        { windowSeconds: SPARK_WINDOW_SECONDS, stepSeconds: SPARK_STEP_SECONDS },
        await logs,
      );
    } catch (e) {
      if (!(e instanceof PrometheusError)) throw e;
      d.log.warn({ err: e.message }, 'ops board: Prometheus unreachable');
      throw new AppError(
        503,
        'prometheus_unreachable',
        `Prometheus did not answer (${e.message}); try again shortly`,
        undefined,
        { 'Retry-After': String(Math.ceil(FAILURE_TTL_MS / 1000)) },
      );
    }
  }

  return {
    async status(): Promise<OpsStatus> {
      const source = d.source;
      if (!source) {
        throw new AppError(
          503,
          'ops_unavailable',
          'the ops board has no Prometheus configured (PROMETHEUS_URL is unset)',
        );
      }
      const t = now();
      if (cached && t - cached.at < cached.ttl) return cached.value;
      // Concurrent requests share the one read in flight (the promise is cached, not the result).
      const entry = { at: t, ttl: d.cacheTtlMs, value: read(source) };
      cached = entry;
      entry.value.catch(() => {
        entry.ttl = Math.min(d.cacheTtlMs, FAILURE_TTL_MS);
      });
      return entry.value;
    },
  };
}

export type OpsService = ReturnType<typeof opsService>;
