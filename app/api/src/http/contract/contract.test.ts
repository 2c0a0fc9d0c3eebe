import express from 'express';
import { z } from 'zod';
import { contractProblems, generate, staleFiles, appRoutes } from './check';
import { buildOpenApi } from './openapi';
import { operations, type Operation } from './operations';
import { listRoutes } from './routes';
import { loginBody, registerBody, updateProductBody } from '../validate';

describe('the contract and the Express app', () => {
  test('every served route has an operation with schemas, and every operation a route', () => {
    expect(appRoutes().length).toBe(operations.length);
    expect(contractProblems()).toEqual([]);
  });

  test('a route added without a schema, or an operation without a route, is named', () => {
    const app = express();
    const inner = express.Router();
    inner.get('/things/:id', (_req, res) => res.end());
    inner.post('/things', (_req, res) => res.end());
    const api = express.Router();
    api.use('/nested', inner);
    app.use('/api', api);
    const routes = listRoutes(app);
    expect(routes).toEqual([
      { method: 'post', path: '/api/nested/things' },
      { method: 'get', path: '/api/nested/things/{id}' },
    ]);
    const documented: Operation[] = [
      {
        method: 'get',
        path: '/api/nested/things/{id}',
        operationId: 'getThing',
        summary: 's',
        tag: 'catalog',
        access: 'public',
        params: z.object({ id: z.string() }),
        replies: {},
      },
      {
        method: 'delete',
        path: '/api/nested/things/{id}',
        operationId: 'deleteThing',
        summary: 's',
        tag: 'catalog',
        access: 'public',
        replies: {},
      },
    ];
    expect(contractProblems(routes, documented)).toEqual([
      'route POST /api/nested/things is served but has no schema in operations.ts',
      'operation DELETE /api/nested/things/{id} is documented but no route serves it',
      'operation DELETE /api/nested/things/{id}: path parameters [id] but params schema []',
    ]);
  });

  test('the committed document and types are what the schemas generate today', () => {
    expect(staleFiles()).toEqual([]);
    expect(generate()).toEqual(generate());
  });
});

describe('the OpenAPI document', () => {
  const doc = buildOpenApi() as {
    openapi: string;
    paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    components: { schemas: Record<string, unknown> };
  };

  test('is OpenAPI 3.1 and every $ref it uses resolves', () => {
    expect(doc.openapi).toBe('3.1.0');
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)];
    expect(refs.length).toBeGreaterThan(20);
    for (const [, name] of refs) expect(Object.keys(doc.components.schemas)).toContain(name);
  });

  test('request schemas keep their limits, so fuzzers probe the edges the API enforces', () => {
    const s = doc.components.schemas as Record<string, { properties: Record<string, unknown> }>;
    expect(s.RegisterBody!.properties.password).toEqual({
      type: 'string',
      minLength: 10,
      maxLength: 128,
    });
    expect(s.CartItemBody).toMatchObject({ additionalProperties: false });
  });

  test('state-changing operations document the CSRF refusal; protected ones 401', () => {
    const put = doc.paths['/api/cart/items/{productId}']!.put!.responses;
    expect(Object.keys(put)).toEqual(['200', '400', '403', '404', '413', '415', '503']);
    expect(Object.keys(doc.paths['/api/admin/orders']!.get!.responses)).toEqual([
      '200',
      '400',
      '401',
      '403',
      '503',
    ]);
    expect(Object.keys(doc.paths['/livez']!.get!.responses)).toEqual(['200']);
  });

  test('reply schemas are strict: an extra field (a leaked hash) does not conform', () => {
    const s = doc.components.schemas as Record<string, { additionalProperties?: boolean }>;
    for (const name of ['User', 'Product', 'Order', 'Cart', 'ErrorBody']) {
      expect(s[name]!.additionalProperties).toBe(false);
    }
  });
});

describe('the document promises what validation enforces (Schemathesis findings)', () => {
  const s = (buildOpenApi() as { components: { schemas: Record<string, any> } }).components.schemas;
  const accepts = (schema: { pattern?: string; maxLength?: number }, v: string) =>
    new RegExp(schema.pattern ?? '').test(v) && v.length <= (schema.maxLength ?? Infinity);

  test('an email: the pattern is the one zod checks, with the whitespace it trims', () => {
    const doc = s.LoginBody.properties.email;
    for (const v of ['a@b.co', ' a@b.co\n', 'x.y+z@shop.com.bd', '', 'a@b', '@b.co', 'a b@c.co']) {
      const zod = loginBody.safeParse({ email: v, password: 'p' }).success;
      expect([v, accepts(doc, v)]).toEqual([v, zod]);
    }
  });

  test('a required name: whitespace alone and NUL characters are outside the document', () => {
    const doc = s.RegisterBody.properties.name;
    for (const v of ['A', ' A ', ' ', '\u3000\t', '', 'A\u0000', 'Rafiq Islam']) {
      const zod = registerBody.safeParse({ email: 'a@b.co', password: 'p'.repeat(10), name: v });
      expect([v, accepts(doc, v)]).toEqual([v, zod.success]);
    }
  });

  test('a product update needs at least one field, in the document as in the code', () => {
    expect(s.UpdateProductBody.minProperties).toBe(1);
    expect(updateProductBody.safeParse({}).success).toBe(false);
  });
});
