// The performance budget, enforced at build time: the JavaScript a browser must download before
// the home page can render (the entry chunk and everything it imports statically, plus any
// page chunks named in `routes`) must fit in the budget after gzip.
import { gzipSync } from 'node:zlib';

export interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
export type Manifest = Record<string, ManifestChunk>;

export interface BudgetResult {
  files: { file: string; rawBytes: number; gzipBytes: number }[];
  totalGzipBytes: number;
  limitBytes: number;
  ok: boolean;
}

// gzip level 6 is what nginx is configured to use (gzip_comp_level 6), so the number measured here
// is the number a phone downloads.
export const GZIP_LEVEL = 6;
export const HOME_JS_BUDGET_BYTES = 150 * 1024;

/** Files of the chunks loaded up front for `roots`: static imports only, dynamic ones are lazy. */
export function initialJsFiles(manifest: Manifest, roots: string[]): string[] {
  const seen = new Set<string>();
  const files: string[] = [];
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`budget: chunk ${key} is not in the build manifest`);
    if (chunk.file.endsWith('.js')) files.push(chunk.file);
    chunk.imports?.forEach(visit);
  };
  roots.forEach(visit);
  return files;
}

export function entryKeys(manifest: Manifest): string[] {
  const keys = Object.keys(manifest).filter((k) => manifest[k]?.isEntry);
  if (keys.length === 0) throw new Error('budget: the manifest has no entry chunk');
  return keys;
}

export function measure(
  files: string[],
  read: (file: string) => Buffer,
  limitBytes: number,
): BudgetResult {
  const sized = files.map((file) => {
    const buf = read(file);
    return { file, rawBytes: buf.length, gzipBytes: gzipSync(buf, { level: GZIP_LEVEL }).length };
  });
  const totalGzipBytes = sized.reduce((s, f) => s + f.gzipBytes, 0);
  return { files: sized, totalGzipBytes, limitBytes, ok: totalGzipBytes <= limitBytes };
}
