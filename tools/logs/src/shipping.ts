/**
 * How a container's stdout and stderr reach VictoriaLogs: the Docker engine's own log drivers,
 * no extra shipper process (docs/adr/0402-centralized-logs.md). The candidates the ADR measured
 * are here so the measurement (driver-cost.ts) and the lab's stack file use the same options;
 * stack-logging.test.ts checks infra/lab/stack.logging.yml against `SHIPPING`.
 */

/** The Swarm labels every task container carries, sent along with each line. */
export const SWARM_LABELS = [
  'com.docker.stack.namespace',
  'com.docker.swarm.service.name',
  'com.docker.swarm.task.name',
  'com.docker.swarm.node.id',
] as const;

/**
 * Local copy (Docker's "dual logging" cache, on for every remote driver): `docker logs` and
 * `docker service logs` keep working, and this is the per-service rotation of that copy.
 */
export const LOCAL_CACHE_OPTS = { 'cache-max-size': '10m', 'cache-max-file': '3' } as const;

/** The app never waits on its logs: a slow or absent store costs lines, not requests. */
export const NON_BLOCKING_OPTS = { mode: 'non-blocking', 'max-buffer-size': '4m' } as const;

export interface Candidate {
  name: string;
  driver: string;
  opts: Record<string, string>;
  /** One sentence for the ADR's table. */
  summary: string;
}

export interface StorePorts {
  http: number;
  syslogUdp: number;
  syslogTcp: number;
}

export function candidates(ports: StorePorts): Candidate[] {
  const syslog = (proto: 'udp' | 'tcp'): Candidate => ({
    name: `syslog-${proto}`,
    driver: 'syslog',
    opts: {
      'syslog-address': `${proto}://127.0.0.1:${proto === 'udp' ? ports.syslogUdp : ports.syslogTcp}`,
      'syslog-format': 'rfc5424micro',
      tag: '{{.Name}}',
      ...NON_BLOCKING_OPTS,
      ...LOCAL_CACHE_OPTS,
    },
    summary: `engine's syslog driver, RFC 5424 over ${proto.toUpperCase()}, one message per line; JSON stays in _msg (unpack_json at query time)`,
  });
  return [
    {
      name: 'json-file',
      driver: 'json-file',
      opts: { 'max-size': '10m', 'max-file': '3' },
      summary: 'baseline: local files only, nothing shipped (the lab today)',
    },
    syslog('udp'),
    syslog('tcp'),
    {
      name: 'splunk-hec',
      driver: 'splunk',
      opts: splunkOpts(`http://127.0.0.1:${ports.http}`),
      summary:
        "engine's Splunk driver to VictoriaLogs' Splunk HEC endpoint: batched HTTP, JSON lines parsed into fields at ingestion",
    },
  ];
}

/**
 * The chosen driver's options (infra/lab/stack.logging.yml repeats them per service). The token is
 * required by the driver and ignored by VictoriaLogs: it is not a secret.
 */
export function splunkOpts(url: string): Record<string, string> {
  return {
    'splunk-url': url,
    'splunk-token': 'unused',
    'splunk-format': 'json',
    // Do not fail a container's start when the store is not up yet (it buffers and retries).
    'splunk-verify-connection': 'false',
    tag: '{{.Name}}',
    labels: SWARM_LABELS.join(','),
    ...NON_BLOCKING_OPTS,
    ...LOCAL_CACHE_OPTS,
  };
}

/** VictoriaLogs' flags for what the chosen driver sends (see fields.ts for the resulting names). */
export const SPLUNK_INGEST_FLAGS = [
  // A pino line's message, else the whole (non-JSON) line.
  '-splunk.msgField=event.line.msg,event.line.message,event.line',
  // One stream per service and node; task ids, request ids and user ids stay plain fields.
  '-splunk.streamFields=event.attrs.com.docker.stack.namespace,event.attrs.com.docker.swarm.service.name,host',
] as const;

export const SYSLOG_INGEST_FLAGS = (udp: number, tcp: number) => [
  `-syslog.listenAddr.udp=:${udp}`,
  `-syslog.listenAddr.tcp=:${tcp}`,
  '-syslog.streamFields.udp=["hostname","app_name"]',
  '-syslog.streamFields.tcp=["hostname","app_name"]',
];

/** `docker run` arguments for a candidate's --log-driver and --log-opt. */
export function dockerRunLogArgs(c: Candidate): string[] {
  return [
    '--log-driver',
    c.driver,
    ...Object.entries(c.opts).flatMap(([k, v]) => ['--log-opt', `${k}=${v}`]),
  ];
}
