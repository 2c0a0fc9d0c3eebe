import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  counterValue,
  exposition,
  seriesText,
  writeOpenMetrics,
  type SyntheticSeries,
} from './synthetic-series';

test('a series is written with its labels sorted and its values escaped', () => {
  expect(seriesText({ b: '2', __name__: 'x_total', a: 'say "hi"\\\n' })).toBe(
    'x_total{a="say \\"hi\\"\\\\\\n",b="2"}',
  );
  expect(seriesText({ __name__: 'up' })).toBe('up');
  expect(() => seriesText({ job: 'api' })).toThrow('not a metric name');
  expect(() => seriesText({ __name__: '1bad' })).toThrow('not a metric name');
});

test('the live exposition continues the written history of each series', () => {
  const series = [
    { labels: { __name__: 'a_total', job: 'api' }, stepSeconds: 5 },
    { labels: { __name__: 'b_total', job: 'edge' }, stepSeconds: 5 },
  ];
  expect(exposition(series, 1000, 1010)).toBe(
    `a_total{job="api"} ${counterValue(0, 1000, 1010)}\nb_total{job="edge"} ${counterValue(1, 1000, 1010)}\n`,
  );
  expect(counterValue(1, 1000, 1010)).toBeGreaterThan(counterValue(1, 1000, 1005));
});

test("Prometheus's own backfill accepts the file, every sample at its series' step", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'synthetic-series-'));
  try {
    const to = Math.floor(Date.now() / 1000 / 3600) * 3600 - 3600;
    const from = to - 3600;
    const series: SyntheticSeries[] = [
      {
        labels: { __name__: 'http_requests_total', job: 'api', route: '/api/"x"' },
        stepSeconds: 5,
      },
      { labels: { __name__: 'edge_responses_total', job: 'edge', code: '5xx' }, stepSeconds: 15 },
    ];
    const seen: number[] = [];
    const res = await writeOpenMetrics(join(dir, 'in.om'), series, from, to, (n) => seen.push(n));
    expect(res.samples).toBe(721 + 241);
    expect(seen).toEqual([1, 2]);
    execFileSync('promtool', [
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      '-q',
      join(dir, 'in.om'),
      join(dir, 'data'),
    ]);
    mkdirSync(join(dir, 'data', 'wal')); // dump opens the WAL of a database that never ran
    const dump = execFileSync('promtool', ['tsdb', 'dump', join(dir, 'data')], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    }).split('\n');
    expect(dump.filter((l) => l.includes('http_requests_total')).length).toBe(721);
    expect(dump.filter((l) => l.includes('edge_responses_total')).length).toBe(241);
    expect(dump.find((l) => l.includes('http_requests_total'))).toContain('route="/api/\\"x\\""');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
