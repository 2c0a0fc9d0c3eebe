import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { job, runs, stepIndex, uses, workflow } from './testing';
import { REPO_ROOT, type Step } from './workflows';

const withOf = (s: Step) => (s.with ?? {}) as Record<string, string>;

/** Workspace folders (root package.json) and their @dhakacart dependencies, transitively. */
function workspaces(): Map<string, string[]> {
  const root = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    workspaces: string[];
  };
  const dirs = root.workspaces
    .flatMap((p) =>
      p.endsWith('/*')
        ? fs.readdirSync(path.join(REPO_ROOT, p.slice(0, -2))).map((d) => `${p.slice(0, -2)}/${d}`)
        : [p],
    )
    .filter((d) => fs.existsSync(path.join(REPO_ROOT, d, 'package.json')));
  const pkg = (d: string) =>
    JSON.parse(fs.readFileSync(path.join(REPO_ROOT, d, 'package.json'), 'utf8')) as {
      name: string;
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
  const byName = new Map(dirs.map((d) => [pkg(d).name, d]));
  const direct = (d: string) =>
    Object.keys({ ...pkg(d).dependencies, ...pkg(d).devDependencies }).flatMap(
      (n) => byName.get(n) ?? [],
    );
  return new Map(
    dirs.map((d) => {
      const seen = new Set<string>();
      const queue = direct(d);
      while (queue.length) {
        const x = queue.shift()!;
        if (seen.has(x)) continue;
        seen.add(x);
        queue.push(...direct(x));
      }
      return [d, [...seen]];
    }),
  );
}

describe('ci.yml', () => {
  const filters = () => {
    const step = (job('ci.yml', 'changes').steps ?? []).find(uses('dorny/paths-filter'))!;
    return YAML.parse(withOf(step).filters!) as Record<string, unknown[]>;
  };

  it('has a path filter for every workspace, covering the workspaces it depends on', () => {
    const f = filters();
    for (const [ws, deps] of workspaces()) {
      const paths = (f[ws] ?? []).flat();
      expect({ ws, covered: [ws, ...deps].filter((d) => !paths.includes(`${d}/**`)) }).toEqual({
        ws,
        covered: [],
      });
      expect(paths).toEqual(expect.arrayContaining(['package-lock.json', 'tsconfig.base.json']));
    }
  });

  it('lints, type-checks, checks and tests each changed workspace', () => {
    const w = job('ci.yml', 'workspace');
    expect(w.needs).toBe('changes');
    for (const re of [
      /eslint "\$WORKSPACE" --max-warnings=0/,
      /prettier --check "\$WORKSPACE"/,
      /npm run --silent typecheck -w "\$WORKSPACE" --if-present/,
      /npm run --silent check -w "\$WORKSPACE" --if-present/,
      /jest --ci --maxWorkers=2 "\$WORKSPACE\/"/,
    ])
      expect(stepIndex(w, runs(re))).toBeGreaterThan(-1);
  });

  it('pins the CRD charts to the versions the workloads stack installs', async () => {
    const { CHARTS } = await import('@dhakacart/infra-gcp/workloads/components/addon-charts');
    const step = (job('ci.yml', 'workspace').steps ?? []).find(runs(/helm show crds/))!;
    for (const c of [CHARTS.chaosMesh, CHARTS.k6Operator, CHARTS.velero])
      expect(step.run).toContain(
        `helm show crds ${c.chart} --repo ${c.repo} --version ${c.version}`,
      );
  });

  it('scans: Trivy on the images and the filesystem (fixable HIGH/CRITICAL), npm audit, gitleaks, SBOM', () => {
    const images = job('ci.yml', 'images');
    const imageScans = (images.steps ?? []).filter(uses('aquasecurity/trivy-action'));
    expect(imageScans.map((s) => withOf(s)['image-ref']).sort()).toEqual([
      'dhakacart/api:ci',
      'dhakacart/web:ci',
    ]);
    expect((images.steps ?? []).filter(uses('anchore/sbom-action'))).toHaveLength(2);
    const scan = job('ci.yml', 'scan');
    const fs_ = (scan.steps ?? []).find(uses('aquasecurity/trivy-action'))!;
    for (const s of [...imageScans, fs_])
      expect(withOf(s)).toMatchObject({
        severity: 'HIGH,CRITICAL',
        'ignore-unfixed': true,
        'exit-code': '1',
      });
    expect(withOf(fs_)['scan-type']).toBe('fs');
    expect(stepIndex(scan, runs(/npm audit --audit-level=high/))).toBeGreaterThan(-1);
    expect(
      stepIndex(scan, runs(/npm run --silent secrets -w @dhakacart\/security -- repo/)),
    ).toBeGreaterThan(-1);
    expect((scan.steps ?? []).find(uses('actions/checkout'))?.with).toMatchObject({
      'fetch-depth': 0,
    });
  });

  it('runs the whole README test command on main and on the schedule, not on pull requests', () => {
    const full = job('ci.yml', 'full');
    expect(stepIndex(full, runs(/^bash \.ci\/run$/))).toBeGreaterThan(-1);
    expect(full.if).toMatch(/github\.event_name == 'schedule'/);
    expect(full.if).toMatch(/github\.ref == 'refs\/heads\/main'/);
    expect(full.if).not.toMatch(/pull_request/);
    expect(Object.keys(workflow('ci.yml').workflow.on)).toEqual(
      expect.arrayContaining(['push', 'pull_request', 'schedule']),
    );
  });
});
