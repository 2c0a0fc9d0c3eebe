import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { loadSpecs } from '../../src/spec/load';
import { serviceOverview } from './service-overview';
import { sloDashboard } from './slo-dashboard';

export const SPECS_DIR = path.resolve(__dirname, '../../specs');
export const OUT_DIR = path.resolve(__dirname, '../generated');

export function buildDashboards(specsDir = SPECS_DIR): Record<string, dashboard.Dashboard> {
  return {
    'service-overview.json': serviceOverview(),
    'slo.json': sloDashboard(loadSpecs(specsDir)),
  };
}

/** Writes every dashboard as stable, pretty JSON; returns the file names written. */
export function writeDashboards(outDir = OUT_DIR, specsDir = SPECS_DIR): string[] {
  fs.mkdirSync(outDir, { recursive: true });
  const all = buildDashboards(specsDir);
  for (const [file, d] of Object.entries(all)) {
    fs.writeFileSync(path.join(outDir, file), `${JSON.stringify(d, null, 2)}\n`);
  }
  return Object.keys(all);
}

if (require.main === module) {
  for (const f of writeDashboards())
    console.log(`wrote ${path.relative(process.cwd(), path.join(OUT_DIR, f))}`);
}
