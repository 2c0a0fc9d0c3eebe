import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { ENVIRONMENTS } from '../environments';
import { buildWorkloadObjects, type KubeObject } from '.';
import {
  K6_SCRIPT_FILES,
  K6ScriptError,
  loadtestsPackageDir,
  readK6Scripts,
  scriptMaxVus,
} from './k6-scripts';
import {
  K6_MEMORY_MARGIN,
  K6_MEMORY_PER_VU_MIB,
  LoadTestPlanError,
  memoryMiB,
  NIGHTLY_SCRIPT,
  peakTestRun,
  PEAK_TESTRUN_CONFIGMAP,
  runnerMemoryNeededMiB,
  type K6TestRun,
} from './loadtest';
import { prometheusUrl } from './monitoring';
import type { WorkloadSettings } from '../settings';

const noSlo = { ruleFiles: [], dashboards: [], missing: [] };
const scripts = readK6Scripts();
const peakVus = scriptMaxVus(scripts['peak-100k.js']);
const withLoadtest = (env: 'staging' | 'prod', l: Partial<WorkloadSettings['loadtest']>) => ({
  ...ENVIRONMENTS[env],
  loadtest: { ...ENVIRONMENTS[env].loadtest, ...l },
});
const planError = (s: WorkloadSettings): string[] => {
  try {
    peakTestRun(s, scripts);
  } catch (e) {
    expect(e).toBeInstanceOf(LoadTestPlanError);
    return (e as LoadTestPlanError).problems;
  }
  return [];
};

describe('the k6 scripts ConfigMap', () => {
  it('carries the loadtests workspace’s committed scripts byte for byte', () => {
    const objects = buildWorkloadObjects(ENVIRONMENTS.staging, noSlo);
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata?.name === 'k6-scripts')!;
    const dir = path.join(loadtestsPackageDir(), 'generated', 'k6');
    for (const f of K6_SCRIPT_FILES)
      expect((cm as unknown as { data: Record<string, string> }).data[f]).toBe(
        fs.readFileSync(path.join(dir, f), 'utf8'),
      );
  });

  it('reads the peak script’s VU limit from its own options: 100,000 visitors + 20%', () => {
    expect(peakVus).toBeGreaterThanOrEqual(120_000);
  });

  it('adds up every scenario’s maxVUs, and refuses a script without limits', () => {
    const src = (options: unknown) =>
      `import http from 'k6/http';\nexport const options = ${JSON.stringify(options, null, 2)};\n`;
    expect(
      scriptMaxVus(
        src({
          scenarios: {
            a: { executor: 'ramping-arrival-rate', preAllocatedVUs: 10, maxVUs: 40 },
            b: { executor: 'constant-arrival-rate', preAllocatedVUs: 7 },
            c: { executor: 'ramping-vus', stages: [{ target: 3 }, { target: 9 }] },
          },
        }),
      ),
    ).toBe(56);
    expect(() => scriptMaxVus(src({ scenarios: { a: { executor: 'x' } } }))).toThrow(K6ScriptError);
    expect(() => scriptMaxVus('export default function () {}')).toThrow(/options/);
  });

  it('names a missing script and the command that makes it', () => {
    expect(() => readK6Scripts(os.tmpdir())).toThrow(/peak-100k\.js is missing.*load -- render/);
  });
});

describe.each(['staging', 'prod'] as const)('the peak TestRun plan (%s)', (env) => {
  const s = ENVIRONMENTS[env];
  const run = peakTestRun(s, scripts);

  it('fits the load-test pool: one runner per node with separate: true', () => {
    expect(run.spec.separate).toBe(true);
    expect(run.spec.parallelism).toBeLessThanOrEqual(s.loadtest.poolMaxNodes);
  });

  it('holds the script’s maxVUs, each runner with the memory its VUs need', () => {
    expect(run.spec.parallelism * s.loadtest.vusPerRunner).toBeGreaterThanOrEqual(peakVus);
    const perRunner = Math.ceil(peakVus / run.spec.parallelism);
    const limit = memoryMiB(run.spec.runner.resources.limits.memory!);
    expect(limit).toBeGreaterThanOrEqual(perRunner * K6_MEMORY_PER_VU_MIB * K6_MEMORY_MARGIN);
    expect(memoryMiB(run.spec.runner.resources.requests.memory!)).toBe(limit);
  });

  it('runs the pinned k6 image and sends its results to Prometheus, labelled by test id', () => {
    expect(run.spec.runner.image).toMatch(/^docker\.io\/grafana\/k6:[\d.]+@sha256:[a-f0-9]{64}$/);
    expect(run.spec.script.configMap).toEqual({ name: 'k6-scripts', file: 'peak-100k.js' });
    expect(run.spec.arguments).toContain('--out experimental-prometheus-rw');
    expect(run.spec.arguments).toContain('--tag testid=peak-100k ');
    expect(run.spec.runner.env).toContainEqual({
      name: 'K6_PROMETHEUS_RW_SERVER_URL',
      value: `${prometheusUrl(s)}/api/v1/write`,
    });
  });
});

describe('the peak TestRun plan refuses what would not run', () => {
  it('more runners than the pool has nodes (they would stay Pending)', () => {
    const s = withLoadtest('staging', { runners: 22, vusPerRunner: 6000, poolMaxNodes: 21 });
    expect(planError(s)).toEqual([expect.stringMatching(/22 runners .* grows to 21.*Pending/)]);
  });

  it('runners x VUs short of the script’s maxVUs (20 x 5,000 = 100,000 < 120,000)', () => {
    const s = withLoadtest('staging', { vusPerRunner: 5000 });
    expect(planError(s)).toEqual([
      expect.stringMatching(/20 runners x 5000 VUs = 100000 < the script's maxVUs/),
    ]);
  });

  it('a memory limit too small for a runner’s VUs (the old 3Gi)', () => {
    const base = ENVIRONMENTS.staging.loadtest.runnerResources;
    const s = withLoadtest('staging', { runnerResources: { ...base, memoryLimit: '3Gi' } });
    expect(planError(s)).toEqual([
      expect.stringMatching(/memory limit 3Gi is below the \d+ MiB its 6000 VUs need/),
    ]);
  });

  it('more VUs per runner than one k6 instance handles', () => {
    const big = runnerMemoryNeededMiB(60_000);
    const s = withLoadtest('staging', {
      runners: 2,
      vusPerRunner: 60_000,
      runnerResources: {
        cpuRequest: '8',
        cpuLimit: '8',
        memoryRequest: `${big}Mi`,
        memoryLimit: `${big}Mi`,
      },
    });
    expect(planError(s)).toEqual([expect.stringMatching(/above the 30000 one k6 instance/)]);
  });

  it('reads memory quantities in every unit the API server accepts', () => {
    expect(memoryMiB('23Gi')).toBe(23 * 1024);
    expect(memoryMiB('512Mi')).toBe(512);
    expect(memoryMiB('1G')).toBeCloseTo(953.67, 1);
    expect(() => memoryMiB('lots')).toThrow(LoadTestPlanError);
  });
});

describe('the nightly run', () => {
  const objectsOf = (env: 'staging' | 'prod') =>
    buildWorkloadObjects(ENVIRONMENTS[env], noSlo).filter(
      (o) => o.kind === 'CronJob' && o.metadata?.namespace === ENVIRONMENTS[env].loadtestNamespace,
    );

  it('is a CronJob on staging only', () => {
    expect(objectsOf('staging').map((o) => o.metadata?.name)).toEqual(['nightly-load']);
    expect(objectsOf('prod')).toEqual([]);
  });

  it('creates a fresh TestRun whose name and test id carry the start time', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nightly-'));
    const cm = buildWorkloadObjects(ENVIRONMENTS.staging, noSlo).find(
      (o) => o.metadata?.name === PEAK_TESTRUN_CONFIGMAP,
    ) as KubeObject & { data: Record<string, string> };
    fs.writeFileSync(path.join(dir, 'testrun.yaml'), cm.data['testrun.yaml']!);
    // A stand-in kubectl that records its arguments and what `create -f -` was given.
    fs.writeFileSync(
      path.join(dir, 'kubectl'),
      `#!/bin/sh\necho "$@" >> "${dir}/calls"\nif [ "$1" = create ]; then cat > "${dir}/created.yaml"; fi\n`,
      { mode: 0o755 },
    );
    const r = spawnSync('sh', ['-c', NIGHTLY_SCRIPT], {
      env: { PATH: `${dir}:${process.env.PATH}`, MANIFEST: path.join(dir, 'testrun.yaml') },
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(r.status).toBe(0);
    const calls = fs.readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n');
    expect(calls[0]).toMatch(/^delete testrun -l app.kubernetes.io\/name=k6 --ignore-not-found/);
    expect(calls[1]).toBe('create -f -');
    const created = YAML.parse(
      fs.readFileSync(path.join(dir, 'created.yaml'), 'utf8'),
    ) as K6TestRun;
    const id = created.metadata.name;
    expect(id).toMatch(/^peak-100k-\d{8}t\d{4}$/);
    expect(created.metadata.labels['dhakacart.io/testid']).toBe(id);
    expect(created.spec.arguments).toContain(`--tag testid=${id} `);
    expect(created.spec.script.configMap.file).toBe('peak-100k.js');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
