// Pre-compression of the build output for nginx's gzip_static (see precompress.ts).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const COMPRESSIBLE = /\.(?:js|css|svg|html|json|txt)$/;
const MIN_BYTES = 256; // matches nginx's gzip_min_length

export function filesToCompress(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== '.vite') out.push(...filesToCompress(p));
    } else if (COMPRESSIBLE.test(name) && statSync(p).size >= MIN_BYTES) {
      out.push(p);
    }
  }
  return out;
}

/** Writes FILE.gz (gzip -9) next to each file; returns the byte totals. */
export function precompress(files: string[]): { raw: number; gz: number } {
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    const buf = readFileSync(f);
    const z = gzipSync(buf, { level: 9 });
    writeFileSync(`${f}.gz`, z);
    raw += buf.length;
    gz += z.length;
  }
  return { raw, gz };
}
