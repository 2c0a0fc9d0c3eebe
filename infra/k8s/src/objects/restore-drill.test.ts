import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ENVIRONMENTS } from '../environments';
import { buildWorkloadObjects, type KubeObject } from '.';
import { veleroSchedules } from './backups';
import { namespacePlans } from './namespaces';
import { restrictedViolations } from './pod-security';
import {
  CLEANUP_SCRIPT,
  CLONE_SCRIPT,
  expectedRestoredObjects,
  RESTORE_EXCLUDED_RESOURCES,
  restoreDrillRestore,
  VELERO_DRILL_SCRIPT,
  WORKLOAD_KINDS,
} from './restore-drill';
import { CrdValidator, defaultCrdDir } from '../validate';
import type { ICronJob } from 'kubernetes-models/batch/v1/CronJob';

const noSlo = { ruleFiles: [], dashboards: [], missing: [] };
const s = ENVIRONMENTS.prod;
const objects = buildWorkloadObjects(s, noSlo);
const crds = new CrdValidator([defaultCrdDir(path.resolve(__dirname, '..', '..', '..', '..'))]);
const cronJob = (name: string) =>
  objects.find((o) => o.kind === 'CronJob' && o.metadata?.name === name) as unknown as ICronJob;

/** Runs a drill script with stand-in commands (shell functions of a fake bin directory). */
function runScript(script: string, fakes: Record<string, string>, env: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drill-'));
  for (const [name, body] of Object.entries(fakes))
    fs.writeFileSync(
      path.join(dir, name),
      `#!/bin/sh\necho "${name} $*" >> "${dir}/calls"\n${body}\n`,
      {
        mode: 0o755,
      },
    );
  const r = spawnSync('sh', ['-c', script], {
    env: { PATH: `${dir}:${process.env.PATH}`, ...env, WORK: env.WORK ?? dir },
    encoding: 'utf8',
    timeout: 20_000,
  });
  const calls = fs.existsSync(path.join(dir, 'calls'))
    ? fs.readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n')
    : [];
  return { status: r.status, out: r.stdout + r.stderr, calls, dir };
}

describe('the Velero restore drill', () => {
  const restore = restoreDrillRestore(s);

  it('restores the latest backup of the app namespace into a scratch namespace', () => {
    expect(restore.spec.scheduleName).toBe(veleroSchedules(s)[0]!.metadata.name);
    expect(restore.spec.includedNamespaces).toEqual([s.namespace]);
    expect(restore.spec.namespaceMapping).toEqual({
      [s.namespace]: s.backups.drill.scratchNamespace,
    });
    const used = new Set(namespacePlans(s).map((n) => n.name));
    expect(used.has(s.backups.drill.scratchNamespace)).toBe(false);
  });

  it('leaves every workload out (restored api pods would use the live Secrets on the live database)', () => {
    for (const kind of [
      'deployments.apps',
      'replicasets.apps',
      'pods',
      'statefulsets.apps',
      'jobs.batch',
      'cronjobs.batch',
    ])
      expect(restore.spec.excludedResources).toContain(kind);
    // and what would act on live infrastructure: a second Gateway, doubled alerts, ESO syncs.
    expect(restore.spec.excludedResources).toEqual(
      expect.arrayContaining([
        'gateways.gateway.networking.k8s.io',
        'prometheusrules.monitoring.coreos.com',
        'externalsecrets.external-secrets.io',
      ]),
    );
  });

  it('validates against the Velero Restore CRD, and the CRD catches a misspelt field', () => {
    expect(crds.validate(restore as never)).toEqual([]);
    const bad = structuredClone(restore) as unknown as { spec: Record<string, unknown> };
    bad.spec.excludeResources = bad.spec.excludedResources;
    delete bad.spec.excludedResources;
    expect(crds.validate(bad as never)).toEqual([
      expect.objectContaining({ message: expect.stringContaining('excludeResources') }),
    ]);
  });

  it('expects back every non-workload object of the app namespace, and nothing excluded', () => {
    const expected = expectedRestoredObjects(s, objects);
    expect(expected).toEqual(
      expect.arrayContaining(['configmap/data-tier-ca', 'service/api', 'service/web']),
    );
    expect(expected.some((o) => o.startsWith('networkpolicy/'))).toBe(true);
    expect(expected.filter((o) => /^(deployment|job|cronjob|pod)\//.test(o))).toEqual([]);
    const env = cronJob('restore-drill').spec!.jobTemplate.spec!.template.spec!.containers[0]!.env!;
    expect(env.find((e) => e.name === 'EXPECTED_OBJECTS')!.value).toBe(expected.join(' '));
    expect(RESTORE_EXCLUDED_RESOURCES).not.toContain('configmaps');
  });

  const kubectl = (phase: string, workload = '') => `
case "$*" in
  *"get restore"*"status.phase"*) echo "${phase}" ;;
  *"get restore"*"status.errors"*) echo "" ;;
  *"get deployments"*) echo "${workload}" ;;
  "create -f -") cat > "$WORK/created.yaml" ;;
esac`;
  const env = (dir?: string) => ({
    SCRATCH_NAMESPACE: 'shop-restore-drill',
    VELERO_NAMESPACE: 'velero',
    WORKLOAD_KINDS: WORKLOAD_KINDS.join(' '),
    EXPECTED_OBJECTS: 'configmap/a service/b',
    RESTORE_MANIFEST: path.join(dir ?? os.tmpdir(), 'restore.yaml'),
    WAIT_STEPS: '3',
    WAIT_SECONDS: '0',
  });
  const manifestDir = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'restore-'));
    fs.writeFileSync(
      path.join(d, 'restore.yaml'),
      (
        objects.find((o) => o.metadata?.name === 'restore-drill-restore') as KubeObject & {
          data: Record<string, string>;
        }
      ).data['restore.yaml']!,
    );
    return d;
  };

  it('passes when the restore completed with the state and without workloads, then cleans up', () => {
    const d = manifestDir();
    const r = runScript(VELERO_DRILL_SCRIPT, { kubectl: kubectl('Completed') }, env(d));
    expect(r.out).toMatch(/restore drill passed: restore-drill-\d{8}t\d{4} restored 2 expected/);
    expect(r.status).toBe(0);
    expect(r.calls[0]).toMatch(/^kubectl delete namespace shop-restore-drill --ignore-not-found/);
    expect(fs.readFileSync(path.join(r.dir, 'created.yaml'), 'utf8')).toMatch(
      /^ {2}name: restore-drill-\d{8}t\d{4}$/m,
    );
    expect(r.calls).toContain('kubectl -n shop-restore-drill get service/b -o name');
    expect(r.calls.at(-1)).toBe('kubectl delete namespace shop-restore-drill --wait=false');
  });

  it('fails when a workload came back', () => {
    const r = runScript(
      VELERO_DRILL_SCRIPT,
      { kubectl: kubectl('Completed', 'deployment.apps/api') },
      env(manifestDir()),
    );
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/a workload was restored: deployment.apps\/api/);
  });

  it('fails on a partly failed restore, and on one that never ends', () => {
    const partly = runScript(
      VELERO_DRILL_SCRIPT,
      { kubectl: kubectl('PartiallyFailed') },
      env(manifestDir()),
    );
    expect(partly.status).toBe(1);
    expect(partly.out).toMatch(/ended PartiallyFailed/);
    const stuck = runScript(
      VELERO_DRILL_SCRIPT,
      { kubectl: kubectl('InProgress') },
      env(manifestDir()),
    );
    expect(stuck.status).toBe(1);
    expect(stuck.out).toMatch(/still InProgress after the time allowed/);
  });

  it('runs weekly from the velero namespace with a pinned kubectl, reading no Secret', () => {
    const job = cronJob('restore-drill');
    expect(job.metadata!.namespace).toBe(s.veleroNamespace);
    expect(job.spec!.schedule).toBe(s.backups.drill.schedule);
    const c = job.spec!.jobTemplate.spec!.template.spec!.containers[0]!;
    expect(c.image).toMatch(/@sha256:[a-f0-9]{64}$/);
    const role = objects.find((o) => o.kind === 'ClusterRole') as unknown as {
      rules: { resources: string[]; resourceNames?: string[] }[];
    };
    expect(role.rules.flatMap((r) => r.resources)).not.toContain('secrets');
    expect(role.rules.find((r) => r.resources.includes('namespaces'))!.resourceNames).toEqual([
      s.backups.drill.scratchNamespace,
    ]);
  });
});

describe('the point-in-time clone drill', () => {
  const env = {
    PROJECT: 'shop-prod',
    SOURCE_INSTANCE: 'shop-pg',
    CLONE_PREFIX: 'shop-pg-drill-',
    MINUTES_AGO: '15',
  };
  const gcloud = (residue: string) => `
case "$*" in
  *"instances list"*) printf '%s\\n' ${residue} ;;
  *"serverCaCert"*) echo CA ;;
  *"ipAddresses"*) echo 10.64.0.9 ;;
esac`;

  it('removes a killed run’s clones, clones the live instance to T and records where it is', () => {
    const r = runScript(CLONE_SCRIPT, { gcloud: gcloud('shop-pg-drill-202601010000') }, env);
    expect(r.status).toBe(0);
    const calls = r.calls.join('\n');
    expect(calls).toMatch(/gcloud sql instances delete shop-pg-drill-202601010000 /);
    expect(calls).toMatch(
      /gcloud sql instances clone shop-pg shop-pg-drill-\d{12} --point-in-time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z --project=shop-prod --quiet/,
    );
    // The live instance is only ever the source of a clone: never patched, never deleted.
    expect(r.calls.filter((c) => / (patch|delete) shop-pg( |$)/.test(c))).toEqual([]);
    const [clone, ip, t, until] = fs.readFileSync(path.join(r.dir, 'clone'), 'utf8').split('\n');
    expect(clone).toMatch(/^shop-pg-drill-\d{12}$/);
    expect(ip).toBe('10.64.0.9');
    expect(Date.parse(t!) - Date.parse(until!)).toBe(60_000);
    expect(Date.now() - Date.parse(t!)).toBeGreaterThanOrEqual(15 * 60_000 - 1000);
  });

  it('never deletes an instance outside the drill prefix, even if gcloud lists one', () => {
    const r = runScript(CLONE_SCRIPT, { gcloud: gcloud('shop-pg') }, env);
    expect(r.status).toBe(0);
    expect(r.calls.filter((c) => /delete|patch/.test(c))).toEqual([]);
  });

  it('refuses a clone prefix that is not <source>-drill-', () => {
    const r = runScript(CLONE_SCRIPT, { gcloud: gcloud('') }, { ...env, CLONE_PREFIX: 'shop-' });
    expect(r.status).toBe(2);
    expect(r.calls).toEqual([]);
  });

  it('deletes the clone whatever the verification said, and fails unless it said ok', () => {
    const withResult = (result: string, clone = 'shop-pg-drill-202601010000') => {
      const work = fs.mkdtempSync(path.join(os.tmpdir(), 'work-'));
      fs.writeFileSync(path.join(work, 'clone'), `${clone}\n10.64.0.9\nT\nU\n`);
      if (result) fs.writeFileSync(path.join(work, 'result'), `${result}\n`);
      return runScript(CLEANUP_SCRIPT, { gcloud: '' }, { ...env, WORK: work });
    };
    const ok = withResult('result=ok orders=10 checksum=abc');
    expect(ok.status).toBe(0);
    expect(ok.calls).toEqual([
      'gcloud sql instances patch shop-pg-drill-202601010000 --no-deletion-protection --project=shop-prod --quiet',
      'gcloud sql instances delete shop-pg-drill-202601010000 --project=shop-prod --quiet',
    ]);
    const bad = withResult('result=mismatch live=[1 a] clone=[0 b]');
    expect(bad.status).toBe(1);
    expect(bad.calls).toHaveLength(2);
    expect(withResult('').status).toBe(1);
    const live = withResult('result=ok', 'shop-pg');
    expect(live.status).toBe(2);
    expect(live.calls).toEqual([]);
  });

  it('runs in the app namespace under the drill identity, restricted-clean, pinned', () => {
    const job = cronJob('db-drill');
    const pod = job.spec!.jobTemplate.spec!.template.spec!;
    expect(job.metadata!.namespace).toBe(s.namespace);
    expect(pod.serviceAccountName).toBe('db-drill');
    expect(restrictedViolations(pod)).toEqual([]);
    expect(pod.initContainers!.map((c) => c.name)).toEqual(['clone', 'verify']);
    expect(pod.containers.map((c) => c.name)).toEqual(['cleanup']);
    for (const c of [...pod.initContainers!, ...pod.containers])
      expect(c.image).toMatch(/@sha256:[a-f0-9]{64}$/);
    const sa = objects.find((o) => o.kind === 'ServiceAccount' && o.metadata?.name === 'db-drill')!;
    expect(sa.metadata!.annotations).toEqual({
      'iam.gke.io/gcp-service-account': s.backups.drill.serviceAccount,
    });
  });
});
