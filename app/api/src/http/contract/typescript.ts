// TypeScript declarations from the OpenAPI document, for the storefront: app/web type-checks its
// own API types against these (app/web/src/api/contract-check.ts), so drift fails `tsc`.
// Only the JSON Schema that zod emits is handled; anything else throws, never a silent `any`.
type Json = Record<string, unknown>;

const KNOWN = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'prefixItems',
  'enum',
  'const',
  'anyOf',
  '$ref',
  'propertyNames',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minProperties',
  'pattern',
  'format',
  'default',
  'description',
]);

const key = (k: string) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : JSON.stringify(k));

export function schemaToTs(s: Json, where: string): string {
  for (const k of Object.keys(s)) {
    if (!KNOWN.has(k)) throw new Error(`${where}: JSON Schema keyword "${k}" is not handled`);
  }
  if (typeof s.$ref === 'string') return s.$ref.replace('#/components/schemas/', '');
  if (Array.isArray(s.anyOf)) {
    return s.anyOf.map((x, i) => schemaToTs(x as Json, `${where}.anyOf[${i}]`)).join(' | ');
  }
  if ('const' in s) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (Array.isArray(s.type)) {
    return s.type.map((t) => schemaToTs({ ...s, type: t }, where)).join(' | ');
  }
  switch (s.type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array': {
      if (Array.isArray(s.prefixItems)) {
        const items = s.prefixItems.map((x, i) => schemaToTs(x as Json, `${where}[${i}]`));
        return `[${items.join(', ')}]`;
      }
      const item = schemaToTs((s.items ?? {}) as Json, `${where}[]`);
      // A short fixed-length array is a tuple in TypeScript (e.g. the ops board's [t, v] points).
      if (typeof s.minItems === 'number' && s.minItems === s.maxItems && s.minItems <= 4) {
        return `[${Array.from({ length: s.minItems }, () => item).join(', ')}]`;
      }
      return /[|&]/.test(item) ? `Array<${item}>` : `${item}[]`;
    }
    case 'object': {
      const props = (s.properties ?? {}) as Record<string, Json>;
      const required = new Set((s.required ?? []) as string[]);
      const fields = Object.entries(props).map(
        ([k, v]) => `${key(k)}${required.has(k) ? '' : '?'}: ${schemaToTs(v, `${where}.${k}`)};`,
      );
      const extra = s.additionalProperties;
      if (extra && typeof extra === 'object') {
        fields.push(`[key: string]: ${schemaToTs(extra as Json, `${where}.*`)};`);
      } else if (extra === undefined && !s.properties) {
        fields.push('[key: string]: unknown;');
      }
      return fields.length ? `{ ${fields.join(' ')} }` : 'Record<string, never>';
    }
    case undefined:
      return 'unknown';
    default:
      throw new Error(`${where}: type ${JSON.stringify(s.type)} is not handled`);
  }
}

/** A .d.ts: one type per component schema, and an Operations map keyed "METHOD /path". */
export function contractTypes(doc: Json): string {
  const schemas = ((doc.components as Json).schemas ?? {}) as Record<string, Json>;
  const lines = [
    '// Generated from openapi.json by `npm run contract -w @dhakacart/api`. Do not edit:',
    '// `npm run check -w @dhakacart/api` fails when this file differs from a fresh generation.',
    '',
  ];
  for (const [name, s] of Object.entries(schemas)) {
    lines.push(`export type ${name} = ${schemaToTs(s, name)};`);
  }
  lines.push('', 'export interface Operations {');
  const paths = doc.paths as Record<string, Record<string, Json>>;
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(item)) {
      const body = (op.requestBody as Json | undefined)?.content as
        Record<string, { schema: Json }> | undefined;
      const ok = Object.entries(op.responses as Record<string, Json>).find(([s]) =>
        s.startsWith('2'),
      );
      const okSchema = (ok?.[1].content as Record<string, { schema: Json }> | undefined)?.[
        'application/json'
      ]?.schema;
      const where = `${method.toUpperCase()} ${path}`;
      lines.push(
        `  ${JSON.stringify(where)}: {`,
        `    body: ${body ? schemaToTs(body['application/json']!.schema, where) : 'never'};`,
        `    reply: ${okSchema ? schemaToTs(okSchema, where) : 'void'};`,
        '  };',
      );
    }
  }
  lines.push('}', '');
  return lines.join('\n');
}
