import {
  checkVisitors,
  drawThinkSeconds,
  journeysPerSecond,
  MEAN_THINK_SECONDS,
  pageViewsPerSecond,
  secondsPerPageView,
} from './visitor-model';

test('the think time has a 10 s mean (log-normal, median 8 s, sigma 0.67)', () => {
  expect(MEAN_THINK_SECONDS).toBeCloseTo(10, 0);
  let seq = 0;
  // A deterministic sweep of the distribution: the sample mean approaches the model's mean.
  const draws = Array.from({ length: 20000 }, () => {
    seq++;
    const a = (seq * 0.61803398875) % 1 || 0.5;
    const b = (seq * 0.41421356237) % 1 || 0.5;
    let k = 0;
    return drawThinkSeconds(() => (k++ % 2 ? b : a));
  });
  const mean = draws.reduce((x, y) => x + y, 0) / draws.length;
  expect(mean).toBeGreaterThan(8.5);
  expect(mean).toBeLessThan(11);
  expect(Math.max(...draws)).toBeLessThanOrEqual(60);
});

test("Little's law: 100,000 visitors at 10.3 s a page view make about 9,700 page views a second", () => {
  expect(secondsPerPageView()).toBeCloseTo(MEAN_THINK_SECONDS + 0.3, 6);
  expect(Math.round(pageViewsPerSecond(100_000))).toBe(
    Math.round(100_000 / (MEAN_THINK_SECONDS + 0.3)),
  );
  expect(pageViewsPerSecond(100_000)).toBeGreaterThan(9500);
  expect(pageViewsPerSecond(100_000)).toBeLessThan(9900);
  // An 8-page journey: one eighth of the arrivals of single page views.
  expect(journeysPerSecond(1000, 8)).toBeCloseTo(pageViewsPerSecond(1000) / 8, 9);
  // Shorter think times (a smoke run) raise the rate per visitor.
  expect(pageViewsPerSecond(10, 0.1)).toBeCloseTo(10 / (MEAN_THINK_SECONDS * 0.1 + 0.3), 9);
});

test('a negative, fractional, zero or absurd visitor count is refused', () => {
  for (const bad of [-1, 0, 1.5, Number.NaN, 1e9])
    expect(() => checkVisitors(bad)).toThrow(/--visitors must be a whole number/);
  expect(checkVisitors(100_000)).toBe(100_000);
});
