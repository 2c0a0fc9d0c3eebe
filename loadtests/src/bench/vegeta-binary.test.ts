import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vegetaBinary } from './vegeta';

describe('finding the Vegeta binary before any load starts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vegeta-bin-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('missing everywhere: a clear tool_missing error that says how to get it', () => {
    let err: (Error & { code?: string }) | undefined;
    try {
      vegetaBinary({ PATH: join(dir, 'nothing-here') }, dir);
    } catch (e) {
      err = e as Error & { code?: string };
    }
    expect(err?.code).toBe('tool_missing');
    expect(err?.message).toMatch(/vegeta is not installed.*\.cache\/bin.*VEGETA_BIN/);
  });

  test('the project cache comes before PATH, and VEGETA_BIN before both', () => {
    const mk = (p: string) => {
      writeFileSync(p, '#!/bin/sh\n');
      chmodSync(p, 0o755);
      return p;
    };
    const onPath = join(dir, 'path');
    const cache = join(dir, 'repo', '.cache', 'bin');
    for (const d of [onPath, cache]) mkdirSync(d, { recursive: true });
    const pathBin = mk(join(onPath, 'vegeta'));
    expect(vegetaBinary({ PATH: onPath }, join(dir, 'repo'))).toBe(pathBin);
    const cached = mk(join(cache, 'vegeta'));
    expect(vegetaBinary({ PATH: onPath }, join(dir, 'repo'))).toBe(cached);
    const explicit = mk(join(dir, 'my-vegeta'));
    expect(vegetaBinary({ PATH: onPath, VEGETA_BIN: explicit }, join(dir, 'repo'))).toBe(explicit);
  });

  test('a file that is not executable is skipped', () => {
    const d = join(dir, 'noexec');
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'vegeta'), 'x');
    chmodSync(join(d, 'vegeta'), 0o644);
    expect(() => vegetaBinary({ PATH: d }, join(dir, 'none'))).toThrow(/not installed/);
  });
});
