import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

export const SLO_ROOT = path.resolve(__dirname, '../..');
export const REPO_ROOT = path.resolve(SLO_ROOT, '..');
export const GENERATED_RULES = path.join(SLO_ROOT, 'generated/slo-rules.yaml');
export const INFRA_RULES = path.join(SLO_ROOT, 'rules/infra-alerts.yaml');

export interface LoadedAlert {
  file: string;
  alert: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

interface RuleFile {
  groups: {
    name: string;
    rules: {
      alert?: string;
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
    }[];
  }[];
}

/** Every alerting rule in the given Prometheus rule files. */
export function loadAlerts(files: string[]): LoadedAlert[] {
  return files.flatMap((file) => {
    const doc = parse(fs.readFileSync(file, 'utf8')) as RuleFile;
    return doc.groups.flatMap((g) =>
      g.rules
        .filter((r) => r.alert)
        .map((r) => ({
          file: path.relative(REPO_ROOT, file),
          alert: r.alert as string,
          labels: r.labels ?? {},
          annotations: r.annotations ?? {},
        })),
    );
  });
}

/** Problems with one alert's routing metadata; empty when it is complete. */
export function alertMetadataProblems(a: LoadedAlert, repoRoot = REPO_ROOT): string[] {
  const problems: string[] = [];
  if (!['page', 'ticket'].includes(a.labels.severity ?? '')) {
    problems.push(
      `${a.alert}: labels.severity must be page or ticket, got "${a.labels.severity ?? ''}"`,
    );
  }
  if (!a.annotations.summary?.trim()) problems.push(`${a.alert}: annotations.summary is missing`);
  const want = `docs/runbooks/${a.alert}.md`;
  if (a.annotations.runbook_url !== want) {
    problems.push(
      `${a.alert}: annotations.runbook_url must be "${want}", got "${a.annotations.runbook_url ?? ''}"`,
    );
  } else if (!fs.existsSync(path.join(repoRoot, want))) {
    problems.push(`${a.alert}: runbook ${want} does not exist`);
  }
  return problems;
}
