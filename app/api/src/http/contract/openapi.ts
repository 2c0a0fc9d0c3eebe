// Builds the OpenAPI 3.1 document from the operations list with zod's own JSON Schema export
// (z.toJSONSchema): no generator dependency, and the schemas are the ones the routes validate with.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import * as validate from '../validate';
import { operations as defaultOperations, type Operation, type Reply } from './operations';
import * as responses from './responses';

type Json = Record<string, unknown>;

export const OPENAPI_VERSION = '3.1.0';
const REF = (name: string) => `#/components/schemas/${name}`;
const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The named schemas: every zod schema exported by responses.ts, and validate.ts's bodies. */
function namedSchemas(): { requests: Map<z.ZodType, string>; replies: Map<z.ZodType, string> } {
  const pick = (mod: Record<string, unknown>, keep: (name: string) => boolean) =>
    new Map(
      Object.entries(mod)
        .filter(([name, v]) => v instanceof z.ZodType && keep(name))
        .map(([name, v]) => [v as z.ZodType, pascal(name)]),
    );
  return {
    requests: pick(validate, (n) => n.endsWith('Body')),
    replies: pick(responses, () => true),
  };
}

function components(named: Map<z.ZodType, string>, io: 'input' | 'output'): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of named) registry.add(schema, { id });
  const out = z.toJSONSchema(registry, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'throw',
    uri: REF,
    override: ({ jsonSchema: j }) => {
      // A tuple of one type ([t, v] points) as a fixed-length array: Schemathesis 4.32 rewrites
      // `prefixItems` into a draft-4 `items` list and then rejects its own rewrite.
      const items = j.prefixItems;
      if (Array.isArray(items) && j.items === false && items.length) {
        const first = JSON.stringify(items[0]);
        if (items.every((i) => JSON.stringify(i) === first)) {
          j.items = items[0];
          delete j.prefixItems;
        }
      }
    },
  }) as { schemas: Record<string, Json> };
  for (const s of Object.values(out.schemas)) {
    delete s.$schema;
    delete s.$id;
  }
  return out.schemas;
}

function inline(schema: z.ZodType): Json {
  const s = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) as Json;
  delete s.$schema;
  return s;
}

function parameters(op: Operation): Json[] {
  const out: Json[] = [];
  const fromObject = (obj: z.ZodObject | undefined, where: 'path' | 'query') => {
    if (!obj) return;
    const s = inline(obj) as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(s.properties ?? {})) {
      out.push({
        name,
        in: where,
        required: where === 'path' || (s.required ?? []).includes(name),
        schema,
      });
    }
  };
  fromObject(op.params, 'path');
  fromObject(op.query, 'query');
  for (const [name, h] of Object.entries(op.headers ?? {})) {
    out.push({
      name,
      in: 'header',
      required: h.required,
      description: h.description,
      schema: inline(h.schema),
    });
  }
  return out;
}

const STATE_CHANGING = new Set(['post', 'put', 'patch', 'delete']);

/** The error answers an operation can give because of what it is (its access, its inputs...). */
export function errorReplies(op: Operation): Record<number, string> {
  const e: Record<number, string[]> = {};
  const add = (status: number, why: string) => (e[status] ??= []).push(why);
  if (op.params || op.query || op.body || op.headers) add(400, 'invalid input (invalid_request)');
  if (op.path.startsWith('/api/')) {
    if (op.access === 'customer' || op.access === 'staff' || op.access === 'admin') {
      add(401, 'not logged in (unauthenticated)');
    }
    if (op.access === 'staff' || op.access === 'admin') add(403, 'the role may not (forbidden)');
    if (STATE_CHANGING.has(op.method)) {
      add(403, 'not from the store origin (cross_origin_rejected)');
      add(400, 'the body is not JSON (malformed_json)');
      add(413, 'the body is over 100 kB (payload_too_large)');
      add(415, 'the body is not application/json (unsupported_media_type)');
    }
    add(503, 'the database is unavailable (service_unavailable, Retry-After)');
  }
  for (const [status, why] of Object.entries(op.errors ?? {})) add(Number(status), why);
  return Object.fromEntries(Object.entries(e).map(([s, whys]) => [s, whys.join('; ')]));
}

function reply(r: Reply, named: Map<z.ZodType, string>, opId: string): Json {
  const out: Json = { description: r.description };
  if (r.headers) out.headers = r.headers;
  if (r.schema) {
    const name = named.get(r.schema);
    if (!name) throw new Error(`${opId}: a reply schema is not exported from responses.ts`);
    out.content = { 'application/json': { schema: { $ref: REF(name) } } };
  }
  return out;
}

const SECURITY_DOC =
  'State-changing requests (POST, PUT, PATCH, DELETE) must carry `Origin` equal to the store ' +
  'origin (or `Sec-Fetch-Site: same-origin`), else 403 cross_origin_rejected. Bodies are JSON ' +
  'of at most 100 kB. Every error is `{"error":{"code","message"}}`; never a stack trace.';

/** The api's version from its package.json (next to dist/ in the image, next to src/ here). */
const apiVersion = (): string =>
  JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')).version;

/** The whole document. Pure: the same operations give byte-identical JSON. */
export function buildOpenApi(ops: Operation[] = defaultOperations, version = apiVersion()): Json {
  const named = namedSchemas();
  const paths: Record<string, Record<string, Json>> = {};
  for (const op of ops) {
    const item: Json = {
      operationId: op.operationId,
      summary: op.summary,
      tags: [op.tag],
    };
    const params = parameters(op);
    if (params.length) item.parameters = params;
    if (op.access !== 'public') {
      item.security =
        op.access === 'session' ? [{}, { sessionCookie: [] }] : [{ sessionCookie: [] }];
      if (op.access === 'staff' || op.access === 'admin') {
        item.description = `Role: ${op.access === 'staff' ? 'staff or admin' : 'admin'}.`;
      }
    }
    if (op.body) {
      const name = named.requests.get(op.body);
      if (!name)
        throw new Error(
          `${op.operationId}: its body schema is not exported from validate.ts as *Body`,
        );
      item.requestBody = {
        required: true,
        content: { 'application/json': { schema: { $ref: REF(name) } } },
      };
    }
    const replies: Record<string, Json> = {};
    for (const [status, r] of Object.entries(op.replies)) {
      replies[status] = reply(r, named.replies, op.operationId);
    }
    for (const [status, why] of Object.entries(errorReplies(op))) {
      if (replies[status]) continue; // e.g. /readyz documents its own 503
      replies[status] = {
        description: why,
        content: { 'application/json': { schema: { $ref: REF('ErrorBody') } } },
        ...(status === '503' || status === '429'
          ? { headers: { 'Retry-After': { description: 'seconds', schema: { type: 'string' } } } }
          : {}),
      };
    }
    item.responses = Object.fromEntries(
      Object.entries(replies).sort(([a], [b]) => Number(a) - Number(b)),
    );
    (paths[op.path] ??= {})[op.method] = item;
  }
  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: 'DhakaCart API',
      version,
      description:
        'Generated from the zod schemas in app/api/src/http (npm run contract -w @dhakacart/api). ' +
        SECURITY_DOC,
    },
    tags: [...new Set(ops.map((o) => o.tag))].map((name) => ({ name })),
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      securitySchemes: {
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'sid' },
      },
      schemas: {
        ...components(named.requests, 'input'),
        ...components(named.replies, 'output'),
      },
    },
  };
}
