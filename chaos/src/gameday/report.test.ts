import { htmlReport, jsonResult, loadLine, markdownReport } from './report';
import type { GamedayResult } from './run';

const result = (over: Partial<GamedayResult> = {}): GamedayResult => ({
  id: `report-${Math.random().toString(36).slice(2, 8)}`,
  profile: 'quick',
  passed: true,
  aborted: null,
  startedAt: '2026-12-02T17:00:00.000Z',
  durationSeconds: 540,
  residueRemoved: [],
  experiments: [],
  invariants: null,
  load: {
    testid: 'gameday-x',
    visitors: 71,
    seconds: 480,
    summary: {
      requests: 12000,
      errors: 12,
      failedRate: 0.001,
      requestsPerSecond: 25,
      p99Ms: 900,
      journeys: {},
      thresholdsPassed: true,
    },
    timeline: [],
  },
  slis: {},
  sizing: null,
  sizingLoads: [],
  ...over,
});

describe("the game day's report of its load", () => {
  test('gives the load that ran through the experiments, and says nothing of sizing when none stopped', () => {
    const line = loadLine(result());
    expect(line).toBe('Load: 71 visitors, 12000 requests, 0.100% failed, p99 900 ms.');
  });

  test('names every load the sizing stopped, apart from the figures of the last one', () => {
    const r = result({
      sizingLoads: [
        { visitors: 150, seconds: 48, requests: 3100, failedRate: 0, p99Ms: 2100 },
        { visitors: 82, seconds: 40, requests: 1500, failedRate: 0.002, p99Ms: 1300 },
      ],
    });
    const line = loadLine(r);
    expect(line).toMatch(/^Load: 71 visitors, 12000 requests/);
    expect(line).toContain('150 visitors for 48 s, 3100 requests, 0.000% failed, p99 2100 ms');
    expect(line).toContain('82 visitors for 40 s, 1500 requests, 0.200% failed, p99 1300 ms');
    expect(markdownReport(r)).toContain(line);
    expect(htmlReport(r)).toContain('150 visitors for 48 s');
    expect(jsonResult(r, 'report.md').sizingLoads).toEqual(r.sizingLoads);
  });

  test('says there was no load when none ran', () => {
    expect(loadLine(result({ load: null }))).toBe('Load: none.');
  });
});
