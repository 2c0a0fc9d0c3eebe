import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { durationSeconds } from '@dhakacart/slo';
import { parse } from 'yaml';
import { REPO_ROOT } from './endpoints';

/** The lab's Prometheus configuration, as `npm run lab` deploys it. */
export const LAB_PROMETHEUS_YML = join(REPO_ROOT, 'infra', 'lab', 'monitoring', 'prometheus.yml');

export interface LabScrapeIntervals {
  /** How often the rules are evaluated, as written (`15s`) and in seconds. */
  evaluation: string;
  evaluationSeconds: number;
  /** The scrape jobs the configuration names. */
  jobs: string[];
  /**
   * A job's scrape interval in seconds: its own, or the global one (also for a job label the
   * configuration does not name, as a pushed series' own `job` under `honor_labels`).
   */
  scrapeSeconds(job: string): number;
}

/**
 * The lab Prometheus's evaluation interval and each job's scrape interval, read from the
 * committed prometheus.yml: the lag of a recording rule, and the cadence of synthetic history,
 * follow the configuration instead of a copy of its numbers.
 */
export function labScrapeIntervals(file = LAB_PROMETHEUS_YML): LabScrapeIntervals {
  const doc = parse(readFileSync(file, 'utf8')) as {
    global?: { scrape_interval?: string; evaluation_interval?: string };
    scrape_configs?: { job_name: string; scrape_interval?: string }[];
  };
  const evaluation = doc.global?.evaluation_interval ?? '1m'; // Prometheus's default
  const globalScrape = doc.global?.scrape_interval ?? '1m';
  const jobs = new Map((doc.scrape_configs ?? []).map((j) => [j.job_name, j.scrape_interval]));
  return {
    evaluation,
    evaluationSeconds: durationSeconds(evaluation, `${file}: global.evaluation_interval`),
    jobs: [...jobs.keys()],
    scrapeSeconds(job) {
      return durationSeconds(
        jobs.get(job) ?? globalScrape,
        `${file}: the ${job} job's scrape_interval`,
      );
    },
  };
}
