import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { labScrapeIntervals, REPO_ROOT } from '@dhakacart/lab-client';
import { loadSpecs, SLO_ROOT } from '@dhakacart/slo';
import { SHORT_WINDOW_RULE, SNAPSHOT_EVERY_SECONDS } from '../gameday/slis';
import { EXPERIMENTS, profileExperiments, SLI_LAG_SECONDS } from './experiments';

test('every experiment is fully defined, and its name is unique', () => {
  const names = EXPERIMENTS.map((e) => e.name);
  expect(new Set(names).size).toBe(names.length);
  for (const e of EXPERIMENTS) {
    expect(e.hypothesis.length).toBeGreaterThan(30);
    expect(e.steadyState).toBeTruthy();
    expect(e.method).toBeTruthy();
    expect(e.blastRadius).toBeTruthy();
    expect(e.recoveryBudgetSeconds).toBeGreaterThan(0);
    expect(e.abortAfterSeconds).toBeGreaterThan(e.recoveryBudgetSeconds);
    expect(e.profiles).toContain('nightly');
  }
});

test('the quick profile has at least six experiments, among them api, leader, Redis primary and zone loss', () => {
  const quick = profileExperiments('quick').map((e) => e.name);
  expect(quick.length).toBeGreaterThanOrEqual(6);
  expect(quick).toEqual(
    expect.arrayContaining(['api-kill', 'patroni-leader-kill', 'redis-primary-kill', 'zone-loss']),
  );
  // Every quick experiment is in the default profile too, which is in the nightly one.
  for (const n of quick) expect(profileExperiments('default').map((e) => e.name)).toContain(n);
  expect(profileExperiments('nightly')).toHaveLength(EXPERIMENTS.length);
});

test('each experiment has its section in the experiments runbook, and the runbook no other', () => {
  const doc = readFileSync(join(REPO_ROOT, 'docs', 'runbooks', 'chaos-experiments.md'), 'utf8');
  const sections = [...doc.matchAll(/^## (\S+)$/gm)].map((m) => m[1]);
  expect(sections.sort()).toEqual(EXPERIMENTS.map((e) => e.name).sort());
});

test('every SLO an experiment tolerates is one of the SLOs (a misspelt name would tolerate nothing)', () => {
  const slos = new Set(loadSpecs(join(SLO_ROOT, 'specs')).map((s) => s.name));
  expect(slos.size).toBeGreaterThan(3);
  const unknown = EXPERIMENTS.flatMap((e) =>
    (e.tolerated ?? []).filter((t) => !slos.has(t)).map((t) => `${e.name}: ${t}`),
  );
  expect(unknown).toEqual([]);
  // The leader kill tolerates the write path only: its reads stay judged.
  const leaderKill = EXPERIMENTS.find((e) => e.name === 'patroni-leader-kill')!;
  expect(leaderKill.tolerated?.some((t) => t.startsWith('browse'))).toBe(false);
});

test("every experiment has a recovery budget covering the SLIs' lag, read from the lab's configuration (one slow request can lift a window even where no SLO may leave its objective)", () => {
  const lab = labScrapeIntervals();
  // The SLIs are built from these two jobs' series: a misnamed job would read the global interval.
  expect(lab.jobs).toEqual(expect.arrayContaining(['api', 'edge']));
  const evaluation = lab.evaluationSeconds;
  const scrape = Math.max(lab.scrapeSeconds('api'), lab.scrapeSeconds('edge'));
  const window = Number(/ratio_rate(\d+)s$/.exec(SHORT_WINDOW_RULE)![1]);
  expect(SLI_LAG_SECONDS).toBe(window + evaluation + scrape + SNAPSHOT_EVERY_SECONDS);
  const short = EXPERIMENTS.filter((e) => e.recoveryBudgetSeconds < SLI_LAG_SECONDS).map(
    (e) => `${e.name}: ${e.recoveryBudgetSeconds} s`,
  );
  expect(short).toEqual([]);
});
