import * as fs from 'node:fs';
import * as path from 'node:path';
import { EDGE_SOURCES, type Platform } from '../spec/edge-sources';
import { loadSpecs } from '../spec/load';
import { compileSlos } from './compile';
import { renderRuleFile } from './render';

export interface GenerateResult {
  out: string;
  platform: Platform;
  slos: string[];
  groups: number;
  rules: number;
}

/**
 * Reads specs from `input` (file or directory) and writes one rule file to `out`, with the
 * availability SLIs measured at `platform`'s edge (spec/edge-sources.ts).
 * Everything is validated and rendered before the file is touched, and the write is a rename,
 * so an invalid spec never leaves a partial or stale-but-modified rule file behind.
 */
export function generate(input: string, out: string, platform: Platform = 'lab'): GenerateResult {
  const slos = loadSpecs(input, process.cwd(), platform);
  const groups = compileSlos(slos);
  const text = renderRuleFile(groups, `${platform}, ${EDGE_SOURCES[platform].edge}`);
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  const tmp = `${out}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, out);
  return {
    out,
    platform,
    slos: slos.map((s) => s.id),
    groups: groups.length,
    rules: groups.reduce((n, g) => n + g.rules.length, 0),
  };
}
