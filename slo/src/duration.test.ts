import { durationSeconds, isDuration } from './duration';

test('a Prometheus duration reads as seconds, compound ones included', () => {
  expect(durationSeconds('30s')).toBe(30);
  expect(durationSeconds('5m')).toBe(300);
  expect(durationSeconds('1h30m')).toBe(5400);
  expect(durationSeconds('3d')).toBe(259200);
  expect(durationSeconds('1w')).toBe(604800);
  expect(durationSeconds('250ms')).toBe(0.25);
  expect(durationSeconds('1m30s500ms')).toBe(90.5);
});

test('what Prometheus refuses is refused, with where it came from', () => {
  for (const bad of ['', '30', 's', '1.5h', '30m1h', '5m5m', '-5s', '5 m', '5M', '1h '])
    expect(isDuration(bad)).toBe(false);
  expect(() => durationSeconds('30m1h', 'prometheus.yml: global.scrape_interval')).toThrow(
    'prometheus.yml: global.scrape_interval: "30m1h" is not a duration',
  );
});
