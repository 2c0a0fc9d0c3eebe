// kubernetes-models v5 and its siblings are ESM-only with an `exports` map that has no
// `require` condition, so each API group's index.js is imported by file URL from the installed
// package directory. Jest's CommonJS loader cannot import ES modules; jest tests therefore drive
// the validate CLI (plain Node + tsx) as a child process.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface ModelInstance {
  validate(): void;
}
export type ModelCtor = new (data: unknown) => ModelInstance;

function packageDir(name: string): string {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package ${name} is not installed above ${__dirname}`);
    dir = parent;
  }
}

/** Imports `<pkg>/<group>/index.js`, e.g. ('kubernetes-models', 'apps/v1'). */
export async function loadModelGroup(
  pkg: string,
  group: string,
): Promise<Record<string, ModelCtor>> {
  const file = path.join(packageDir(pkg), group, 'index.js');
  return (await import(pathToFileURL(file).href)) as Record<string, ModelCtor>;
}
