import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labScrapeIntervals } from './scrape-intervals';

function config(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'scrape-intervals-')), 'prometheus.yml');
  writeFileSync(file, text);
  return file;
}

test("a job's own scrape interval wins over the global one, which every other job (and an unnamed job label) gets", () => {
  const lab = labScrapeIntervals(
    config(`global: { scrape_interval: 15s, evaluation_interval: 30s }
scrape_configs:
  - { job_name: api, scrape_interval: 5s }
  - { job_name: node }
  - { job_name: backup, scrape_interval: 1m }
`),
  );
  expect(lab.evaluation).toBe('30s');
  expect(lab.evaluationSeconds).toBe(30);
  expect(lab.jobs).toEqual(['api', 'node', 'backup']);
  expect([
    lab.scrapeSeconds('api'),
    lab.scrapeSeconds('node'),
    lab.scrapeSeconds('backup'),
  ]).toEqual([5, 15, 60]);
  expect(lab.scrapeSeconds('pushed-by-a-batch-job')).toBe(15);
});

test("Prometheus's defaults (1m) apply where the configuration is silent", () => {
  const lab = labScrapeIntervals(config('scrape_configs: [{ job_name: api }]\n'));
  expect([lab.evaluationSeconds, lab.scrapeSeconds('api')]).toEqual([60, 60]);
});

test('a malformed interval is an error naming the file and the field, not a NaN', () => {
  const file = config('scrape_configs: [{ job_name: api, scrape_interval: 5 }]\n');
  expect(() => labScrapeIntervals(file).scrapeSeconds('api')).toThrow(
    `${file}: the api job's scrape_interval`,
  );
});

test("the committed lab configuration scrapes the api and the edge faster than the global interval (the game day's 30 s SLIs need it)", () => {
  const lab = labScrapeIntervals();
  for (const job of ['api', 'edge']) {
    expect(lab.jobs).toContain(job);
    expect(lab.scrapeSeconds(job)).toBeLessThan(lab.scrapeSeconds('node'));
  }
});
