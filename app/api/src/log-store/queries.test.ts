import { parser } from '@grafana/lezer-logql';
import * as Q from './queries';

/** The position of the first syntax error lezer-logql finds, or null. */
function logqlError(expr: string): number | null {
  let at: number | null = null;
  parser.parse(expr).iterate({
    enter: (node) => {
      if (at === null && node.type.isError) at = node.from;
    },
  });
  return at;
}

const scope = { stack: 'dhakacart', since: '1h' };
const uuid = '3f1c1b9e-6a55-4c1e-9d8e-0f2b1a7c4d10';
const samples: [string, string][] = [
  ['errors', Q.errors.logql(scope)],
  ['errors --service api', Q.errors.logql({ ...scope, service: 'api' })],
  ['customer', Q.customer.logql({ ...scope, userId: uuid })],
  ['request', Q.request.logql({ ...scope, reqId: 'b1946ac9-2c1d-4c55-8a0a-1f3e3c1c6f0e' })],
  ['trend errors', Q.trend.logql({ ...scope, step: '5m' })],
  ['trend requests', Q.trendRequestsLogql({ stack: 'dhakacart', step: '5m' })],
  ['errors per minute', Q.errorsPerMinute.logql(scope)],
  ['top errors', Q.topErrors.logql(scope)],
];

test.each(samples)('the %s LogQL parses without errors in lezer-logql', (_name, expr) => {
  expect(logqlError(expr)).toBeNull();
});

test('the LogQL check catches a broken query (so the test above can fail)', () => {
  expect(logqlError('{namespace="dhakacart"} | json | level >=')).not.toBeNull();
  expect(logqlError('sum by (container) (count_over_time({namespace="x"} [5m])')).not.toBeNull();
});

test('every saved query has LogsQL and LogQL, and they name the scope', () => {
  expect(Q.SAVED_QUERIES.map((s) => s.name)).toEqual([
    'errors',
    'customer',
    'request',
    'trend',
    'errors-per-minute',
    'top-errors',
  ]);
  for (const s of Q.SAVED_QUERIES) {
    const p = { ...scope, service: 'api', userId: uuid, reqId: 'r-1', step: '5m' };
    expect(s.logsql(p)).toContain('_time:1h');
    expect(s.logsql(p)).toContain('event.attrs.com.docker.stack.namespace:="dhakacart"');
    expect(s.logql(p)).toContain('namespace="dhakacart"');
  }
});

test('values are quoted, so an odd value cannot change the query', () => {
  const hostile = 'x" or event.line.level:* "';
  const logsql = Q.request.logsql({ ...scope, reqId: hostile });
  expect(logsql).toContain('event.line.reqId:="x\\" or event.line.level:* \\""');
  expect(logqlError(Q.request.logql({ ...scope, reqId: hostile }))).toBeNull();
});

test('high-cardinality values are matched as fields, never as stream selectors', () => {
  const logsql = Q.customer.logsql({ ...scope, userId: uuid });
  expect(logsql).not.toContain('_stream:');
  expect(logsql).toContain(`event.line.customerId:="${uuid}"`);
  expect(Q.customer.logql({ ...scope, userId: uuid })).toMatch(
    /^\{namespace="dhakacart", container="api"\} /,
  );
});
