// Test helpers: the objects the workloads stack renders (infra/k8s/generated, committed and kept
// current by its check) stand in for the live objects kubectl would return, and every derived
// object is validated like the stack's own: kubernetes-models, then the real CRDs
// (../shared/crds, or DHAKACART_CRDS_DIR).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { REPO_ROOT } from '../workflows';

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
};

type EmbeddingConfigMap = Obj & { data?: Record<string, string> };

/**
 * The rendered objects, plus the manifests the stack stores in ConfigMaps labelled
 * `dhakacart.io/embedded-manifest` (the nightly TestRun is one: the workflow reads it from there,
 * as `kubectl get configmap … -o jsonpath` would give it).
 */
export function renderedObjects(env: 'staging' | 'prod'): Obj[] {
  const text = fs.readFileSync(path.join(REPO_ROOT, 'infra/k8s/generated', `${env}.yaml`), 'utf8');
  const top = YAML.parseAllDocuments(text)
    .map((d) => d.toJS() as Obj)
    .filter(Boolean);
  const embedded = top
    .filter(
      (o): o is EmbeddingConfigMap =>
        o.kind === 'ConfigMap' && o.metadata.labels?.['dhakacart.io/embedded-manifest'] === 'true',
    )
    .flatMap((cm) => Object.values(cm.data ?? {}))
    .flatMap((t) => YAML.parseAllDocuments(t).map((d) => d.toJS() as Obj))
    .filter(Boolean);
  return [...top, ...embedded];
}

export function rendered(
  env: 'staging' | 'prod',
  kind: string,
  match: (o: Obj) => boolean,
): unknown {
  const o = renderedObjects(env).find((x) => x.kind === kind && match(x));
  if (!o) throw new Error(`no ${kind} in infra/k8s/generated/${env}.yaml`);
  return structuredClone(o);
}

/**
 * The findings of the infra/k8s validator (its CLI with --stdin: kubernetes-models is ESM, which
 * jest cannot import) for one object ([] when valid).
 */
export function findings(obj: unknown): string[] {
  const r = spawnSync(
    path.join(REPO_ROOT, 'node_modules/.bin/tsx'),
    ['infra/k8s/src/cli/validate.ts', '--stdin', '--json'],
    { cwd: REPO_ROOT, input: JSON.stringify([obj]), encoding: 'utf8', timeout: 120_000 },
  );
  if (r.status === 2 || !r.stdout) throw new Error(`validator failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as {
    reports: { validator: string; findings: { path: string; message: string }[] }[];
  };
  return out.reports.flatMap((x) =>
    x.validator === 'none' ? ['no schema'] : x.findings.map((f) => `${f.path}: ${f.message}`),
  );
}

export const NEW_API = `asia-docker.pkg.dev/dhakacart-prod/dhakacart/api@sha256:${'ab'.repeat(32)}`;
