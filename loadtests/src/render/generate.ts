import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadSpecs, SLO_ROOT } from '@dhakacart/slo';
import { thresholdsFromSlos, type Thresholds } from '../model/thresholds';
import { K6_SCRIPTS, renderK6 } from './k6';

/** Generated files of this workspace, committed; `npm run check` regenerates and diffs them. */
export const GENERATED = join(__dirname, '..', '..', 'generated');
export const THRESHOLDS_FILE = join(GENERATED, 'thresholds.json');
export const k6File = (name: string) => join(GENERATED, 'k6', `${name}.js`);

export function currentThresholds(): Thresholds {
  return thresholdsFromSlos(loadSpecs(join(SLO_ROOT, 'specs')));
}

/** The committed thresholds (what a run is judged by). */
export function committedThresholds(): Thresholds {
  return JSON.parse(readFileSync(THRESHOLDS_FILE, 'utf8')) as Thresholds;
}

/** Writes every generated file; returns their paths. */
export function generateAll(): string[] {
  const thresholds = currentThresholds();
  const files: [string, string][] = [
    [THRESHOLDS_FILE, JSON.stringify(thresholds, null, 2) + '\n'],
    ...K6_SCRIPTS.map((n): [string, string] => [k6File(n), renderK6(n, thresholds)]),
  ];
  for (const [f, text] of files) {
    mkdirSync(dirname(f), { recursive: true });
    writeFileSync(f, text);
  }
  return files.map(([f]) => f);
}

if (require.main === module) {
  for (const f of generateAll()) process.stderr.write(`wrote ${f}\n`);
}
