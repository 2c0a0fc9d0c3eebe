/** @jest-environment node */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { entryKeys, initialJsFiles, measure, type Manifest } from './budget';

const manifest: Manifest = {
  'index.html': {
    file: 'assets/index.js',
    isEntry: true,
    imports: ['_vendor.js'],
    dynamicImports: ['src/pages/Cart.tsx'],
    css: ['assets/index.css'],
  },
  '_vendor.js': { file: 'assets/vendor.js' },
  'src/pages/Cart.tsx': { file: 'assets/Cart.js', imports: ['_vendor.js', '_big.js'] },
  '_big.js': { file: 'assets/big.js' },
};

describe('performance budget', () => {
  it('counts the entry and its static imports, not lazily loaded pages', () => {
    expect(initialJsFiles(manifest, entryKeys(manifest))).toEqual([
      'assets/index.js',
      'assets/vendor.js',
    ]);
  });

  it('fails when the gzipped initial JS is over the limit', () => {
    // Random bytes don't compress, so 2 kB stays about 2 kB after gzip.
    const read = () => randomBytes(2048);
    expect(measure(['a.js'], read, 4096).ok).toBe(true);
    const over = measure(['a.js', 'b.js', 'c.js'], read, 4096);
    expect(over.ok).toBe(false);
    expect(over.totalGzipBytes).toBeGreaterThan(4096);
  });

  it('refuses a manifest without the chunks it references', () => {
    expect(() =>
      initialJsFiles({ 'index.html': { file: 'x.js', isEntry: true, imports: ['_gone.js'] } }, [
        'index.html',
      ]),
    ).toThrow(/not in the build manifest/);
    expect(() => entryKeys({})).toThrow(/no entry/);
  });
});

describe('check-budget --limit-kb', () => {
  // Refused before any file is read, so no build is needed. Number() read each as a budget.
  it.each(['1e3', '0x96', ' 150', '150.5', '0', ''])('refuses %j with exit 2', (v) => {
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(__dirname, 'check-budget.ts'),
        '--dist',
        '/nonexistent',
        '--limit-kb',
        v,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(
      'check-budget: --limit-kb must be a positive whole number of kB written in digits',
    );
  });
});
