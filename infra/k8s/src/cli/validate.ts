// Offline validation of every Kubernetes object: the rendered example environments by default,
// or a JSON array of objects on stdin (--stdin), which the jest tests use.
import fs from 'node:fs';
import { ENV_NAMES, exampleObjects } from '../build';
import { REPO_ROOT } from '../paths';
import {
  CrdValidator,
  defaultCrdDir,
  embeddedManifests,
  localCrdDir,
  ObjectValidator,
  type ObjectReport,
} from '../validate';

const HELP = `usage: validate [--stdin] [--json]
  Validates every object of the example environments (${ENV_NAMES.join(', ')}):
  core, prometheus-operator, Gateway API, External Secrets and GKE kinds with kubernetes-models,
  Velero, Chaos Mesh and k6 kinds with ajv against the CRDs in ../shared/crds
  (override with DHAKACART_CRDS_DIR), GKE kinds kubernetes-models lacks against infra/k8s/crds.
  Manifests carried in ConfigMaps labelled dhakacart.io/embedded-manifest=true are checked too.
  --stdin  validate a JSON array of objects read from standard input instead
  --json   print one report per object as JSON`;

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const unknown = argv.filter((a) => !['--stdin', '--json'].includes(a));
  if (unknown.length) {
    console.error(JSON.stringify({ error: 'UNKNOWN_ARGUMENT', arguments: unknown }));
    return 2;
  }
  const validator = new ObjectValidator(
    new CrdValidator([defaultCrdDir(REPO_ROOT), localCrdDir()]),
  );
  const inputs: { source: string; objects: unknown[] }[] = [];
  if (argv.includes('--stdin')) {
    const parsed: unknown = JSON.parse(fs.readFileSync(0, 'utf8'));
    if (!Array.isArray(parsed)) {
      console.error(JSON.stringify({ error: 'EXPECTED_JSON_ARRAY' }));
      return 2;
    }
    inputs.push({ source: 'stdin', objects: [...parsed, ...embeddedManifests(parsed)] });
  } else {
    for (const env of ENV_NAMES) {
      const objects = exampleObjects(env).objects;
      inputs.push({ source: env, objects: [...objects, ...embeddedManifests(objects)] });
    }
  }
  const reports: (ObjectReport & { source: string })[] = [];
  for (const { source, objects } of inputs) {
    for (const o of objects) reports.push({ source, ...(await validator.validate(o)) });
  }
  const invalid = reports.filter((r) => r.findings.length > 0);
  if (argv.includes('--json')) {
    console.log(
      JSON.stringify(
        { ok: invalid.length === 0, total: reports.length, invalid: invalid.length, reports },
        null,
        2,
      ),
    );
  } else {
    for (const r of invalid)
      for (const f of r.findings)
        console.log(`INVALID ${r.source}: ${r.ref} ${f.path} ${f.message}`);
    const byValidator = reports.reduce<Record<string, number>>(
      (acc, r) => ({ ...acc, [r.validator]: (acc[r.validator] ?? 0) + 1 }),
      {},
    );
    console.log(
      `${reports.length} objects checked (${Object.entries(byValidator)
        .map(([k, v]) => `${v} by ${k}`)
        .join(', ')}), ${invalid.length} invalid`,
    );
  }
  return invalid.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    console.error(JSON.stringify({ error: 'VALIDATE_FAILED', message: (e as Error).message }));
    process.exitCode = 2;
  },
);
