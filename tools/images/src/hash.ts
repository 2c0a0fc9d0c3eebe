import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

// Never part of a context: build output, dependencies and tests (dev-only by definition).
const SKIP_DIRS = new Set(['node_modules', 'dist', 'coverage', '.cache']);
const SKIP_FILE = /\.test\.tsx?$/;

/** Every file under the given inputs (files or folders), relative to root, sorted. */
export function listInputFiles(root: string, inputs: string[]): string[] {
  const out: string[] = [];
  const walk = (abs: string) => {
    const st = statSync(abs);
    if (st.isDirectory()) {
      for (const entry of readdirSync(abs)) {
        if (SKIP_DIRS.has(entry)) continue;
        walk(join(abs, entry));
      }
    } else if (st.isFile() && !SKIP_FILE.test(abs)) {
      out.push(relative(root, abs));
    }
  };
  for (const input of inputs) {
    const abs = join(root, input);
    if (!existsSync(abs)) throw new Error(`image input does not exist: ${input}`);
    walk(abs);
  }
  return [...new Set(out)].sort();
}

/** A short, stable hash of the files' paths, modes and contents, plus extra strings. */
export function hashInputs(root: string, files: string[], extra: string[]): string {
  const h = createHash('sha256');
  for (const e of extra) h.update(`extra:${e}\n`);
  for (const f of files) {
    const abs = join(root, f);
    h.update(`file:${f}:${statSync(abs).mode & 0o111 ? 'x' : '-'}\n`);
    h.update(readFileSync(abs));
    h.update('\n');
  }
  return h.digest('hex').slice(0, 12);
}
