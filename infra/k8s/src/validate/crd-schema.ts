// Turns a CRD's openAPIV3Schema (Kubernetes structural schema) into JSON Schema that ajv checks.
// Conversions: boolean exclusiveMinimum/Maximum -> numbers, nullable -> null type,
// x-kubernetes-int-or-string -> integer|string. Objects with declared properties reject unknown
// fields, because the API server would silently prune them: a typo must fail here.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

type Schema = Record<string, unknown>;

const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);
const SCHEMA_VALUES = new Set(['additionalProperties', 'items', 'not']);

export function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const src = node as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(src)) {
    if (key === 'nullable' || key.startsWith('x-kubernetes-')) continue;
    if (SCHEMA_MAPS.has(key) && value && typeof value === 'object') {
      out[key] = Object.fromEntries(
        Object.entries(value as Schema).map(([k, v]) => [k, toJsonSchema(v)]),
      );
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      out[key] = value.map(toJsonSchema);
    } else if (SCHEMA_VALUES.has(key)) {
      out[key] = typeof value === 'boolean' ? value : toJsonSchema(value);
    } else {
      out[key] = value; // enum, default, required, format ... are data, not schemas
    }
  }
  for (const bound of ['Minimum', 'Maximum'] as const) {
    const flag = src[`exclusive${bound}`];
    if (typeof flag === 'boolean') {
      delete out[`exclusive${bound}`];
      const limit = src[bound.toLowerCase()];
      if (flag && typeof limit === 'number') {
        out[`exclusive${bound}`] = limit;
        delete out[bound.toLowerCase()];
      }
    }
  }
  if (src['x-kubernetes-int-or-string'] === true) {
    out.type = ['integer', 'string'];
    delete out.anyOf;
  }
  if (src.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.type)) out.type = [...(out.type as string[]), 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  }
  const preserves =
    src['x-kubernetes-preserve-unknown-fields'] === true ||
    src['x-kubernetes-embedded-resource'] === true;
  if (
    out.type === 'object' &&
    out.properties &&
    out.additionalProperties === undefined &&
    !preserves
  ) {
    out.additionalProperties = false;
  }
  return out;
}

export interface CrdVersionSchema {
  group: string;
  version: string;
  kind: string;
  apiVersion: string;
  schema: Schema;
}

/** Reads every CRD YAML under `dir` (recursively) into one schema per served version. */
export function loadCrdSchemas(dir: string): CrdVersionSchema[] {
  if (!fs.existsSync(dir)) throw new Error(`CRD directory not found: ${dir}`);
  const files = fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort();
  const out: CrdVersionSchema[] = [];
  for (const file of files) {
    for (const doc of YAML.parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'))) {
      const crd = doc.toJS() as {
        kind?: string;
        spec?: {
          group: string;
          names: { kind: string };
          versions: { name: string; served: boolean; schema?: { openAPIV3Schema: Schema } }[];
        };
      } | null;
      if (!crd || crd.kind !== 'CustomResourceDefinition' || !crd.spec) continue;
      for (const v of crd.spec.versions) {
        if (!v.served || !v.schema) continue;
        const schema = toJsonSchema(v.schema.openAPIV3Schema) as Schema;
        // metadata is validated by the API server, not the CRD; keep it open here.
        const props = (schema.properties ?? {}) as Schema;
        props.metadata = { type: 'object' };
        schema.properties = props;
        out.push({
          group: crd.spec.group,
          version: v.name,
          kind: crd.spec.names.kind,
          apiVersion: `${crd.spec.group}/${v.name}`,
          schema,
        });
      }
    }
  }
  return out;
}
