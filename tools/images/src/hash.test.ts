import { mkdtempSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashInputs, listInputFiles } from './hash';
import { resolveImages, withBases } from './build';
import { goToolsOf, type ImageSpec } from './manifest';

function tree() {
  const root = mkdtempSync(join(tmpdir(), 'images-hash-'));
  mkdirSync(join(root, 'svc', 'node_modules'), { recursive: true });
  writeFileSync(join(root, 'svc', 'Dockerfile'), 'FROM x\n');
  writeFileSync(join(root, 'svc', 'main.ts'), 'console.log(1)\n');
  writeFileSync(join(root, 'svc', 'main.test.ts'), 'test\n');
  writeFileSync(join(root, 'svc', 'node_modules', 'dep.js'), 'x\n');
  return root;
}

test('inputs exclude dependencies and tests, and are listed in a stable order', () => {
  const root = tree();
  expect(listInputFiles(root, ['svc'])).toEqual(['svc/Dockerfile', 'svc/main.ts']);
  expect(() => listInputFiles(root, ['missing'])).toThrow(/does not exist: missing/);
});

test('the tag changes exactly when an input, its mode or the base changes', () => {
  const root = tree();
  const files = listInputFiles(root, ['svc']);
  const a = hashInputs(root, files, ['base:b1']);
  expect(hashInputs(root, files, ['base:b1'])).toBe(a);
  expect(hashInputs(root, files, ['base:b2'])).not.toBe(a);
  writeFileSync(join(root, 'svc', 'main.test.ts'), 'a test change does not rebuild\n');
  expect(hashInputs(root, listInputFiles(root, ['svc']), ['base:b1'])).toBe(a);
  chmodSync(join(root, 'svc', 'main.ts'), 0o755);
  const b = hashInputs(root, files, ['base:b1']);
  expect(b).not.toBe(a);
  writeFileSync(join(root, 'svc', 'main.ts'), 'console.log(2)\n');
  expect(hashInputs(root, files, ['base:b1'])).not.toBe(b);
});

test('a changed base image changes the tag of everything built on it', () => {
  const root = tree();
  writeFileSync(join(root, 'base.sh'), 'v1');
  const specs: ImageSpec[] = [
    { name: 'base', script: 'base.sh', inputs: ['base.sh'] },
    { name: 'svc', base: 'base', dockerfile: 'svc/Dockerfile', inputs: ['svc'] },
  ];
  const before = resolveImages(specs, root);
  writeFileSync(join(root, 'base.sh'), 'v2');
  const after = resolveImages(specs, root);
  expect(after[0]!.ref).not.toBe(before[0]!.ref);
  expect(after[1]!.ref).not.toBe(before[1]!.ref);
  expect(after[1]!.ref).toMatch(/^dhakacart\/svc:[0-9a-f]{12}$/);
});

test('building one image builds its bases first; cycles and unknown names are errors', () => {
  const root = tree();
  writeFileSync(join(root, 'base.sh'), 'v1');
  const specs: ImageSpec[] = [
    { name: 'base', script: 'base.sh', inputs: ['base.sh'] },
    { name: 'mid', base: 'base', dockerfile: 'svc/Dockerfile', inputs: ['svc'] },
    { name: 'top', base: 'mid', dockerfile: 'svc/Dockerfile', inputs: ['svc'] },
  ];
  expect(withBases(resolveImages(specs, root), ['top']).map((r) => r.name)).toEqual([
    'base',
    'mid',
    'top',
  ]);
  expect(() => withBases(resolveImages(specs, root), ['nope'])).toThrow(/unknown image "nope"/);
  const cyclic: ImageSpec[] = [
    { name: 'a', base: 'b', dockerfile: 'svc/Dockerfile', inputs: ['svc'] },
    { name: 'b', base: 'a', dockerfile: 'svc/Dockerfile', inputs: ['svc'] },
  ];
  expect(() => resolveImages(cyclic, root)).toThrow(/cycle/);
});

test('a Go tool pin is part of the tag: a new version rebuilds, other images keep theirs', () => {
  const root = tree();
  writeFileSync(join(root, 'base.sh'), 'v1');
  const specs = (pkg: string): ImageSpec[] => [
    { name: 'base', script: 'base.sh', inputs: ['base.sh'] },
    { name: 'plain', base: 'base', dockerfile: 'svc/Dockerfile', inputs: ['svc'] },
    {
      name: 'tool',
      base: 'base',
      dockerfile: 'svc/Dockerfile',
      inputs: ['svc'],
      goTools: [{ name: 'vl', pkg }],
    },
  ];
  const a = resolveImages(specs('example.com/vl@v1.0.0'), root);
  const b = resolveImages(specs('example.com/vl@v1.0.1'), root);
  expect(b[2]!.ref).not.toBe(a[2]!.ref);
  expect(b[1]!.ref).toBe(a[1]!.ref);
  // Same inputs without the tool: a different tag than with it.
  expect(a[1]!.ref.split(':')[1]).not.toBe(a[2]!.ref.split(':')[1]);
});

test('every Go tool is pinned to a version once, never @latest', () => {
  const tools = goToolsOf();
  expect(tools.map((t) => t.name)).toContain('victoria-logs');
  for (const t of tools) expect(t.pkg).toMatch(/@v\d+\.\d+\.\d+$/);
  expect(() =>
    goToolsOf([
      { name: 'a', inputs: [], goTools: [{ name: 'x', pkg: 'm/x@v1.0.0' }] },
      { name: 'b', inputs: [], goTools: [{ name: 'x', pkg: 'm/x@v2.0.0' }] },
    ]),
  ).toThrow(/pinned twice/);
});
