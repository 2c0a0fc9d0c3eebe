// Reads a Pulumi.<stack>.yaml into the project's config namespace, for tests and for
// setAllConfig (so config.ts is exercised exactly as `pulumi up` would run it).
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

export function readStackFile(projectDir: string, stack: string): Record<string, unknown> {
  const doc = YAML.parse(
    fs.readFileSync(path.join(projectDir, `Pulumi.${stack}.yaml`), 'utf8'),
  ) as { config: Record<string, unknown> };
  return doc.config;
}

/** Pulumi's runtime wants every value as a string; objects are JSON. */
export function asRuntimeConfig(config: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  );
}
