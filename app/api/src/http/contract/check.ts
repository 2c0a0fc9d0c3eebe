import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp, type AppDeps } from '../app';
import { buildOpenApi } from './openapi';
import { operations as defaultOperations, type Operation } from './operations';
import { listRoutes, type RouteKey } from './routes';
import { contractTypes } from './typescript';

export const GENERATED_DIR = join(__dirname, '..', '..', '..', 'generated');
export const GENERATED_FILES = {
  document: join(GENERATED_DIR, 'openapi.json'),
  types: join(GENERATED_DIR, 'contract.d.ts'),
} as const;

/**
 * The real app's routes, built with inert dependencies: createApp only wires closures, so no
 * service is called while the router is read.
 */
export function appRoutes(): RouteKey[] {
  const inert = {
    publicOrigin: 'https://contract.invalid',
    trustProxy: 'loopback',
    cookie: { maxAgeSeconds: 60, secure: true },
  } as Partial<AppDeps> as AppDeps;
  return listRoutes(createApp(inert));
}

const k = (r: RouteKey) => `${r.method.toUpperCase()} ${r.path}`;

/** Every disagreement between the served routes and the documented operations, as sentences. */
export function contractProblems(
  routes: RouteKey[] = appRoutes(),
  ops: Operation[] = defaultOperations,
): string[] {
  const problems: string[] = [];
  const documented = new Set(ops.map(k));
  const served = new Set(routes.map(k));
  for (const r of routes) {
    if (!documented.has(k(r)))
      problems.push(`route ${k(r)} is served but has no schema in operations.ts`);
  }
  for (const o of ops) {
    if (!served.has(k(o))) problems.push(`operation ${k(o)} is documented but no route serves it`);
    const inPath = [...o.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
    const inSchema = Object.keys(o.params?.shape ?? {}).sort();
    if (inPath.join() !== inSchema.join()) {
      problems.push(
        `operation ${k(o)}: path parameters [${inPath.join(', ')}] but params schema [${inSchema.join(', ')}]`,
      );
    }
  }
  const ids = ops.map((o) => o.operationId);
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) {
    problems.push(`operationId ${id} is used twice`);
  }
  return problems;
}

export interface Generated {
  document: string;
  types: string;
}

export function generate(ops: Operation[] = defaultOperations): Generated {
  const doc = buildOpenApi(ops);
  return { document: JSON.stringify(doc, null, 2) + '\n', types: contractTypes(doc) };
}

/** Which committed files differ from a fresh generation. */
export function staleFiles(fresh: Generated = generate()): string[] {
  const read = (p: string) => {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return null;
    }
  };
  return (Object.keys(GENERATED_FILES) as (keyof Generated)[])
    .filter((name) => read(GENERATED_FILES[name]) !== fresh[name])
    .map((name) => GENERATED_FILES[name]);
}
