/**
 * Where each fact about a log line lives in VictoriaLogs, for lines shipped by the Docker engine's
 * Splunk log driver (tools/logs/src/shipping.ts): the driver sends `{line, source, tag, attrs}` and VictoriaLogs
 * flattens it at ingestion, so a pino line's own fields are queryable without a parse step.
 * Stream fields (one stream per stack, service and node) are set by SPLUNK_INGEST_FLAGS; every
 * high-cardinality value (task, request id, customer id) is a plain field.
 */
export const F = {
  stack: 'event.attrs.com.docker.stack.namespace',
  service: 'event.attrs.com.docker.swarm.service.name',
  task: 'event.attrs.com.docker.swarm.task.name',
  nodeId: 'event.attrs.com.docker.swarm.node.id',
  /** The engine's host name: the node. */
  node: 'host',
  /** stdout or stderr. */
  stream: 'event.source',
  container: 'event.tag',
  /** pino's numeric level (30 info, 40 warn, 50 error, 60 fatal); absent on non-JSON lines. */
  level: 'event.line.level',
  route: 'event.line.route',
  status: 'event.line.status',
  method: 'event.line.method',
  durationMs: 'event.line.durationMs',
  reqId: 'event.line.reqId',
  customerId: 'event.line.customerId',
  err: 'event.line.err',
  msg: '_msg',
} as const;

/** Short names the CLI, the JSON output and the board use for the same facts. */
export const SHORT_NAMES: Record<string, keyof typeof F> = Object.fromEntries(
  Object.entries(F).map(([k, v]) => [v, k as keyof typeof F]),
);

/** The Swarm service name of a stack's service, e.g. ("dhakacart", "api") -> "dhakacart_api". */
export const swarmServiceName = (stack: string, service: string) => `${stack}_${service}`;

/** The short service name back from the Swarm one. */
export const shortServiceName = (stack: string, swarmName: string | undefined) =>
  swarmName?.startsWith(`${stack}_`) ? swarmName.slice(stack.length + 1) : (swarmName ?? '');
