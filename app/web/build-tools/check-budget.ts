// `npm run build` ends here: exits 1 when the home page's initial JS is over budget.
// Usage: tsx build-tools/check-budget.ts [--dist dir] [--limit-kb n] [--json]
import { readFileSync } from 'node:fs';
import { wholeNumberOf } from '@dhakacart/numeric-text';
import { join, resolve } from 'node:path';
import { entryKeys, HOME_JS_BUDGET_BYTES, initialJsFiles, measure, type Manifest } from './budget';

function main(argv: string[]): number {
  if (argv.includes('--help')) {
    console.log(
      'Usage: check-budget [--dist DIR] [--limit-kb N] [--json]\nFails when the home page initial JS (gzip) exceeds the limit (default 150 kB).',
    );
    return 0;
  }
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const dist = resolve(arg('--dist') ?? 'dist');
  const limitKb = arg('--limit-kb');
  // Whole kilobytes in digits: Number() would also read "1e3", "0x96" or " 150".
  const kb = limitKb === undefined ? HOME_JS_BUDGET_BYTES / 1024 : wholeNumberOf(limitKb);
  const limit = kb * 1024;
  if (!(kb >= 1 && kb <= 999_999)) {
    console.error(
      'check-budget: --limit-kb must be a positive whole number of kB written in digits',
    );
    return 2;
  }
  const manifest = JSON.parse(
    readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'),
  ) as Manifest;
  // Home is bundled into the entry (see src/App.tsx), so the entry closure is the home page's JS.
  const files = initialJsFiles(manifest, entryKeys(manifest));
  const r = measure(files, (f) => readFileSync(join(dist, f)), limit);
  if (argv.includes('--json')) {
    console.log(JSON.stringify(r, null, 2));
  } else {
    for (const f of r.files)
      console.log(
        `  ${f.file}  ${(f.rawBytes / 1024).toFixed(1)} kB raw, ${(f.gzipBytes / 1024).toFixed(1)} kB gzip`,
      );
    console.log(
      `home page initial JS: ${(r.totalGzipBytes / 1024).toFixed(1)} kB gzip (budget ${(limit / 1024).toFixed(0)} kB) ${r.ok ? 'OK' : 'OVER BUDGET'}`,
    );
  }
  return r.ok ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
