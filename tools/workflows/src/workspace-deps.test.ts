import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './workflows';
import { workspaceDirs } from './workspaces';

// Workspaces import each other by package name, and only what their package.json declares: an
// undeclared import works by accident (npm hoists every workspace) and escapes ci.yml's path
// filters, which follow the declared dependencies (ci.test.ts), so a change to the imported
// workspace would not run the importer's tests.
const IMPORT = /(?:from\s+|import\(\s*|require\(\s*)['"](@dhakacart\/[a-z0-9-]+)/g;

/** The @dhakacart packages a workspace's tracked TypeScript imports, with where. */
function importsOf(dir: string): { pkg: string; where: string }[] {
  const files = execFileSync('git', ['ls-files', '--', `${dir}/*.ts`, `${dir}/*.tsx`], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
  return files.flatMap((f) =>
    [...fs.readFileSync(path.join(REPO_ROOT, f), 'utf8').matchAll(IMPORT)].map((m) => ({
      pkg: m[1]!,
      where: f,
    })),
  );
}

test('every @dhakacart import of a workspace is declared in its package.json', () => {
  const dirs = workspaceDirs();
  expect(dirs.length).toBeGreaterThan(10);
  let seen = 0;
  const undeclared: string[] = [];
  for (const dir of dirs) {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, dir, 'package.json'), 'utf8')) as {
      name: string;
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    const declared = new Set([
      pkg.name,
      ...Object.keys(pkg.dependencies ?? {}),
      ...Object.keys(pkg.devDependencies ?? {}),
    ]);
    for (const i of importsOf(dir)) {
      seen++;
      if (!declared.has(i.pkg)) undeclared.push(`${i.where} imports ${i.pkg}`);
    }
  }
  expect(seen).toBeGreaterThan(50); // the scan reads real imports
  expect([...new Set(undeclared)]).toEqual([]);
});

test('the scan finds the import forms the code uses', () => {
  // Built from pieces, so this file's own text holds no import the first test would count.
  const at = '@dhakacart/';
  const src = [
    `import { a } from '${at}lab-client';`,
    `import type { B } from '${at}api/src/x';`,
    `const c = await import('${at}infra-k8s');`,
    `export * from '${at}slo';`,
  ].join('\n');
  expect([...src.matchAll(IMPORT)].map((m) => m[1])).toEqual([
    '@dhakacart/lab-client',
    '@dhakacart/api',
    '@dhakacart/infra-k8s',
    '@dhakacart/slo',
  ]);
});
