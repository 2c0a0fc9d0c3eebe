import type { LogLine, Trend } from './investigate';
import { renderTable, renderTrend, sparkline } from './render';

const line = (over: Partial<LogLine>): LogLine => ({
  time: '2026-12-01T10:00:00.123456Z',
  service: 'api',
  task: 'dhakacart_api.2.ukpy0x1234567890abcdefghijk',
  node: 'vm',
  stream: 'stdout',
  level: 'error',
  status: '500',
  method: 'POST',
  route: '/api/orders',
  durationMs: '12.5',
  reqId: 'r-1',
  customerId: '',
  msg: 'request',
  ...over,
});

test('the table shows a readable time, the short task and the request id, one row per line', () => {
  const out = renderTable([line({}), line({ service: 'edge', task: '', msg: 'x'.repeat(200) })]);
  const rows = out.trimEnd().split('\n');
  expect(rows).toHaveLength(3);
  expect(rows[0]).toMatch(
    /^TIME \(UTC\)\s+SERVICE\s+TASK\s+LEVEL\s+STATUS\s+ROUTE\s+REQUEST ID\s+MESSAGE$/,
  );
  expect(rows[1]).toContain('2026-12-01 10:00:00.123');
  expect(rows[1]).toContain('api.2.ukpy0x ');
  expect(rows[1]).toContain('POST /api/orders');
  expect(rows[2]!.endsWith('…')).toBe(true);
  expect(rows[2]!.length).toBeLessThan(260);
});

test('sparklines scale to the peak and keep any non-zero value visible', () => {
  expect(sparkline([0, 1, 50, 100], 100)).toBe(' ▁▄█');
  expect(sparkline([0, 0], 0)).toBe('  ');
});

test('the trend chart draws requests and errors per service on one time axis', () => {
  const t: Trend = {
    since: '1h',
    step: '30m',
    stepSeconds: 1800,
    buckets: ['2026-12-01T09:00:00.000Z', '2026-12-01T09:30:00.000Z', '2026-12-01T10:00:00.000Z'],
    services: [
      {
        service: 'api',
        points: [
          { time: '2026-12-01T09:00:00.000Z', requests: 1800, errors: 0 },
          { time: '2026-12-01T09:30:00.000Z', requests: 3600, errors: 90 },
          { time: '2026-12-01T10:00:00.000Z', requests: 900, errors: 0 },
        ],
      },
    ],
  };
  const out = renderTrend(t);
  expect(out).toMatch(/api +req │▄█▂│ peak 120\/min/);
  expect(out).toContain('err │ █ │ peak 3.00/min  ◀ errors');
  expect(out).toMatch(/09:00\s+10:00\s+\(UTC\)/);
  expect(renderTrend({ ...t, services: [] })).toBe('no log lines in the last 1h\n');
});
