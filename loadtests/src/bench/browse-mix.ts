import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEARCH_TERMS } from '../model/journeys';

/**
 * The browse mix: a product page for each of `count` products (half the requests), listings
 * (category pages 1-5, three in ten) and searches over the 20 terms (two in ten), interleaved.
 * The same list feeds wrk (closed loop, the ceiling) and Vegeta (constant rate, the latency at
 * a given load), so both measure the same traffic.
 */
export function browseMixPaths(first: number, count: number, categories: string[]): string[] {
  const paths: string[] = [];
  let product = 0;
  let listing = 0;
  let search = 0;
  for (let j = 0; product < count; j++) {
    const r = j % 10;
    if (r < 5) paths.push(`/api/products/${first + product++}`);
    else if (r < 8) {
      const c = categories.length ? categories[listing % categories.length] : undefined;
      const page = (Math.floor(listing / Math.max(1, categories.length)) % 5) + 1;
      listing++;
      paths.push(`/api/products?${c ? `category=${c}&` : ''}page=${page}&pageSize=12`);
    } else
      paths.push(`/api/products?q=${SEARCH_TERMS[search++ % SEARCH_TERMS.length]}&pageSize=12`);
  }
  return paths;
}

/** Writes the paths one per line for wrk's browse-mix.lua; returns the file. */
export function writePathsFile(paths: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'browse-mix-')), 'paths.txt');
  writeFileSync(file, paths.join('\n') + '\n');
  return file;
}
