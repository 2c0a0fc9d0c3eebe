// The ops status board (/ops, staff and admin). Everything on it comes from GET /api/ops/status,
// which runs a fixed set of Prometheus queries on the server; the page never sends a query.
import type { ReactNode } from 'react';
import { ApiError } from '../../api/client';
import type {
  OpsAlert,
  OpsColour,
  OpsDiskTile,
  OpsGamedayTile,
  OpsLoadRunTile,
  OpsLogsTile,
  OpsServiceTile,
  OpsSloTile,
  OpsStatus,
} from '../../api/types';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { useApi } from '../../state/AppContext';
import { useTitle } from '../useTitle';
import {
  burn,
  bytes,
  cores,
  count,
  duration,
  objectivePercent,
  percent,
  perSecond,
  sloTitle,
  STATUS_LABEL,
  when,
} from './format';
import { Sparkline } from './Sparkline';
import { usePolling } from './usePolling';
import './ops.css';

export const REFRESH_MS = 15000;
const BURN_WINDOWS = ['5m', '1h', '6h', '1d', '3d'];

/** The API's own words for "no monitoring data" beat the storefront's "the store is down". */
function isMonitoringDown(e: unknown): e is ApiError {
  return (
    e instanceof ApiError && (e.code === 'ops_unavailable' || e.code === 'prometheus_unreachable')
  );
}

function Badge({ status }: { status: OpsColour }) {
  return <span className={`ops-badge status-${status}`}>{STATUS_LABEL[status]}</span>;
}

function Tile({
  title,
  status,
  reasons,
  children,
}: {
  title: string;
  status: OpsColour;
  reasons: string[];
  children: ReactNode;
}) {
  return (
    <li className={`ops-tile status-${status}`} aria-label={`${title}: ${STATUS_LABEL[status]}`}>
      <div className="ops-tile-head">
        <h3>{title}</h3>
        <Badge status={status} />
      </div>
      {children}
      {reasons.length > 0 && (
        <ul className="ops-reasons">
          {reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
    </li>
  );
}

function Figure({ label, value, status }: { label: string; value: string; status?: OpsColour }) {
  return (
    <div className={status ? `ops-figure status-${status}` : 'ops-figure'}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function SloTile({ t }: { t: OpsSloTile }) {
  const title = sloTitle(t.slo || t.id);
  return (
    <Tile title={title} status={t.status} reasons={t.reasons}>
      <dl className="ops-figures">
        <Figure label="Objective" value={objectivePercent(t.objective)} />
        <Figure label="SLI (30 days)" value={objectivePercent(t.sli30d)} />
        <Figure label="Budget left" value={percent(t.budgetRemaining)} status={t.status} />
      </dl>
      {t.budgetRemaining !== null && (
        // <meter> colours itself from low/high/optimum: no inline style needed.
        <meter
          className="ops-budget"
          min={0}
          max={1}
          low={0.25}
          high={0.5}
          optimum={1}
          value={Math.max(0, t.budgetRemaining)}
          aria-label={`Error budget left for ${title}`}
        />
      )}
      <dl className="ops-figures ops-burn">
        {BURN_WINDOWS.map((w) => (
          <Figure key={w} label={`Burn ${w}`} value={burn(t.burnRates[w] ?? null)} />
        ))}
      </dl>
      <Sparkline points={t.spark} label="Burn rate (5m), last hour" format={burn} />
    </Tile>
  );
}

function replicasText(r: OpsServiceTile['replicas']): string {
  const up = `${r.healthy}/${r.targets} up`;
  return r.desired === null ? up : `${up} · ${r.running ?? '–'}/${r.desired} running`;
}

function ServiceTile({ t }: { t: OpsServiceTile }) {
  const hasHttp = t.errorRatio.value !== null || t.p95Seconds.value !== null;
  return (
    <Tile title={t.name} status={t.status} reasons={t.reasons}>
      <dl className="ops-figures">
        <Figure label="Replicas" value={replicasText(t.replicas)} />
        {hasHttp && (
          <>
            <Figure
              label="p95 latency"
              value={duration(t.p95Seconds.value)}
              status={t.p95Seconds.status}
            />
            <Figure
              label="Errors (5m)"
              value={percent(t.errorRatio.value, 2)}
              status={t.errorRatio.status}
            />
          </>
        )}
        {t.cpuOfLimit.value !== null ? (
          <Figure
            label="CPU of limit"
            value={percent(t.cpuOfLimit.value, 0)}
            status={t.cpuOfLimit.status}
          />
        ) : (
          <Figure label="CPU" value={cores(t.cpuCores)} />
        )}
        {t.memoryOfLimit.value !== null ? (
          <Figure
            label="Memory of limit"
            value={percent(t.memoryOfLimit.value, 0)}
            status={t.memoryOfLimit.status}
          />
        ) : (
          <Figure label="Memory" value={bytes(t.memoryBytes)} />
        )}
      </dl>
      {t.spark.rps.length > 0 ? (
        <Sparkline
          points={t.spark.rps}
          label="Requests/s, last hour"
          format={(v) => `${v.toFixed(1)}/s`}
        />
      ) : (
        <Sparkline points={t.spark.cpu} label="CPU, last hour" format={cores} />
      )}
    </Tile>
  );
}

function DiskTile({ t }: { t: OpsDiskTile }) {
  return (
    <Tile title={`Disk ${t.instance}`} status={t.status} reasons={[]}>
      <dl className="ops-figures">
        <Figure label="Free" value={percent(t.freeRatio, 0)} status={t.status} />
      </dl>
    </Tile>
  );
}

function LoadRunTile({ t }: { t: OpsLoadRunTile }) {
  return (
    <Tile title="Load run" status={t.status} reasons={t.reasons}>
      {t.testid !== null && (
        <>
          <p className="ops-run">
            <code>{t.testid}</code>{' '}
            {t.running ? (
              <span className="ops-running">running now</span>
            ) : (
              <>ended {when(t.lastPushAt)}</>
            )}
          </p>
          <dl className="ops-figures">
            <Figure label="Visitors" value={count(t.visitors)} />
            <Figure label="Throughput" value={perSecond(t.requestsPerSecond)} />
            <Figure label="p99" value={duration(t.p99Seconds.value)} status={t.p99Seconds.status} />
            <Figure
              label="Errors"
              value={`${percent(t.errorRatio.value, 2)} (${count(t.errors)} of ${count(t.requests)})`}
              status={t.errorRatio.status}
            />
          </dl>
          <dl className="ops-figures ops-burn">
            {t.journeys.map((j) => (
              <Figure
                key={j.sli}
                label={`${j.sli} errors (max ${percent(j.maxErrorRate, 1)})`}
                value={percent(j.errorRatio.value, 2)}
                status={j.errorRatio.status}
              />
            ))}
          </dl>
          <Sparkline points={t.spark.rps} label="Requests/s over the run" format={perSecond} />
          <Sparkline points={t.spark.p99} label="p99 over the run" format={duration} />
        </>
      )}
    </Tile>
  );
}

function GamedayTile({ t }: { t: OpsGamedayTile }) {
  const result = t.passed === null ? '–' : t.passed ? 'Passed' : 'Failed';
  return (
    <Tile title="Game day" status={t.status} reasons={t.reasons}>
      {t.lastRunAt !== null && (
        <>
          <dl className="ops-figures">
            <Figure label="Last run" value={result} status={t.status} />
            <Figure label="Profile" value={t.profile ?? '–'} />
            <Figure label="Ended" value={when(t.lastRunAt)} />
            <Figure label="Budget burned (30 d)" value={percent(t.budgetBurned, 2)} />
          </dl>
          <ul className="ops-list" aria-label="Experiments">
            {t.experiments.map((x) => (
              <li key={x.name} className={`ops-list-item status-${x.status}`}>
                <span className={`ops-badge status-${x.status}`}>
                  {x.passed === null ? 'No data' : x.passed ? 'Passed' : 'Failed'}
                </span>{' '}
                <strong>{x.name}</strong>: burned {percent(x.budgetBurned, 2)},{' '}
                {x.recoverySeconds === null
                  ? 'never recovered'
                  : `recovered in ${Math.round(x.recoverySeconds)} s`}
              </li>
            ))}
          </ul>
        </>
      )}
    </Tile>
  );
}

function LogsTile({ t }: { t: OpsLogsTile }) {
  const span = t.windowMinutes === null ? '' : `, last ${t.windowMinutes} min`;
  return (
    <Tile title="Logs" status={t.status} reasons={t.reasons}>
      {t.services.length > 0 && (
        <ul className="ops-list" aria-label="Error lines per service">
          {t.services.map((s) => (
            <li key={s.service} className={`ops-list-item status-${s.status}`}>
              <dl className="ops-figures">
                <Figure
                  label={`${s.service} errors, last full minute`}
                  value={count(s.lastMinute)}
                  status={s.status}
                />
              </dl>
              <Sparkline
                points={s.spark}
                label={`${s.service} error lines per minute${span}`}
                format={count}
              />
            </li>
          ))}
        </ul>
      )}
      {t.topErrors.length > 0 && (
        <>
          <h4 className="ops-subhead">Top errors{span}</h4>
          <ol className="ops-list ops-top-errors">
            {t.topErrors.map((e, i) => (
              <li key={`${e.service}-${i}`}>
                <strong>{count(e.count)}×</strong> {e.service}: <code>{e.message}</code>
              </li>
            ))}
          </ol>
        </>
      )}
    </Tile>
  );
}

function Alerts({ alerts }: { alerts: OpsAlert[] }) {
  if (alerts.length === 0) return <p className="ops-no-alerts">No alerts firing.</p>;
  return (
    <ul className="ops-alerts">
      {alerts.map((a, i) => (
        <li
          key={`${a.name}-${a.target ?? ''}-${i}`}
          className={`ops-alert severity-${a.severity === 'page' ? 'page' : 'ticket'}`}
        >
          <span className={`ops-badge status-${a.severity === 'page' ? 'red' : 'yellow'}`}>
            {a.severity}
          </span>{' '}
          <strong>{a.name}</strong>
          {a.target && <span className="ops-alert-target"> · {a.target}</span>}
          {a.summary && <p>{a.summary}</p>}
          <p className="ops-alert-meta">
            {a.since && <>Since {new Date(a.since).toLocaleString('en-GB')}. </>}
            {a.runbook && (
              <>
                Runbook: <code>{a.runbook}</code>
              </>
            )}
          </p>
        </li>
      ))}
    </ul>
  );
}

function Board({ s }: { s: OpsStatus }) {
  return (
    <>
      <h2>Service level objectives</h2>
      {s.slos.length === 0 ? (
        <p>No SLO recordings in Prometheus yet.</p>
      ) : (
        <ul className="ops-grid" aria-label="SLOs">
          {s.slos.map((t) => (
            <SloTile key={t.id} t={t} />
          ))}
        </ul>
      )}
      <h2>Firing alerts ({s.alerts.length})</h2>
      <Alerts alerts={s.alerts} />
      <h2>Services</h2>
      <ul className="ops-grid" aria-label="Services">
        {s.services.map((t) => (
          <ServiceTile key={t.name} t={t} />
        ))}
      </ul>
      {s.disk.length > 0 && (
        <>
          <h2>Disk</h2>
          <ul className="ops-grid" aria-label="Disks">
            {s.disk.map((t) => (
              <DiskTile key={t.instance} t={t} />
            ))}
          </ul>
        </>
      )}
      <h2>Load, game day and logs</h2>
      <ul className="ops-grid" aria-label="Load, game day and logs">
        <LoadRunTile t={s.loadRun} />
        <GamedayTile t={s.gameday} />
        <LogsTile t={s.logs} />
      </ul>
    </>
  );
}

export default function OpsPage() {
  useTitle('Ops status · DhakaCart');
  const api = useApi();
  const { data, error, updatedAt, refresh } = usePolling(
    (signal) => api.opsStatus({ signal }),
    REFRESH_MS,
  );
  return (
    <section className="ops">
      <div className="ops-header">
        <h1>Ops status</h1>
        {data && <Badge status={data.overall} />}
        <p className="ops-updated" role="status">
          {updatedAt
            ? `Updated ${new Date(updatedAt).toLocaleTimeString('en-GB')}; refreshes every ${REFRESH_MS / 1000} s.`
            : ''}
        </p>
      </div>
      {error !== undefined && data && (
        <p className="ops-stale" role="alert">
          Could not refresh ({isMonitoringDown(error) ? error.message : 'request failed'}); showing
          the last good data.
        </p>
      )}
      {error !== undefined &&
        !data &&
        (isMonitoringDown(error) ? (
          <div className="error-state" role="alert">
            <h2>No monitoring data</h2>
            <p>{error.message}</p>
            <button type="button" className="button" onClick={refresh}>
              Retry
            </button>
          </div>
        ) : (
          <ErrorState error={error} onRetry={refresh} title="The ops board could not load" />
        ))}
      {error === undefined && !data && <Loading label="Loading the ops board…" />}
      {data && <Board s={data} />}
    </section>
  );
}
