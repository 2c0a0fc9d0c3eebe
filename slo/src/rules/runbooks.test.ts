import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { alertMetadataProblems, GENERATED_RULES, INFRA_RULES, loadAlerts } from './rule-files';

describe('alert metadata', () => {
  const alerts = loadAlerts([GENERATED_RULES, INFRA_RULES]);

  it('finds the SLO and infrastructure alerts', () => {
    const names = new Set(alerts.map((a) => a.alert));
    expect(names.has('CheckoutAvailabilityBudgetBurn')).toBe(true);
    expect(names.has('BlackboxProbeFailed')).toBe(true);
    expect(names.size).toBeGreaterThanOrEqual(19);
  });

  it('gives every alert a page/ticket severity, a summary and an existing runbook', () => {
    expect(alerts.flatMap((a) => alertMetadataProblems(a))).toEqual([]);
  });

  it('reports an alert whose runbook file is missing', () => {
    const emptyRepo = fs.mkdtempSync(path.join(os.tmpdir(), 'slo-runbooks-'));
    const alert = alerts.find((a) => a.alert === 'BlackboxProbeFailed');
    expect(alert).toBeDefined();
    expect(alertMetadataProblems(alert!, emptyRepo)).toEqual([
      'BlackboxProbeFailed: runbook docs/runbooks/BlackboxProbeFailed.md does not exist',
    ]);
  });

  it('reports a missing severity, summary and wrong runbook_url', () => {
    const problems = alertMetadataProblems({
      file: 'x.yaml',
      alert: 'Nameless',
      labels: {},
      annotations: { runbook_url: 'https://wiki/Nameless' },
    });
    expect(problems).toHaveLength(3);
  });
});
