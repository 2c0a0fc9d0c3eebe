import type { GateDecision } from './decide';

const pct = (n: number | null, digits = 2): string =>
  n === null ? '-' : `${(n * 100).toFixed(digits)}%`;
const burn = (n: number | null): string =>
  n === null ? '-' : Number.isFinite(n) ? `${n.toFixed(2)}x` : 'inf';

/** A table a person can read at a glance, then the reasons behind each non-pass verdict. */
export function formatTable(d: GateDecision): string {
  const header = [
    'SLO',
    'OBJECTIVE',
    'SLI (30d)',
    'BUDGET LEFT',
    `BURN (${d.policy.releaseWindow})`,
    'VERDICT',
  ];
  const rows = d.slos.map((s) => [
    s.id,
    pct(s.objective, 3),
    pct(s.sli, 3),
    pct(s.budgetRemaining, 1),
    burn(s.releaseBurn),
    s.verdict.toUpperCase(),
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] as string).length)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  const out = [line(header), ...rows.map(line)];
  const reasons = [...d.reasons, ...d.slos.flatMap((s) => s.reasons.map((r) => `${s.id}: ${r}`))];
  if (reasons.length > 0) out.push('', ...reasons.map((r) => `- ${r}`));
  out.push(
    '',
    `Gate: ${d.verdict.toUpperCase()} (exit ${d.exitCode}); policy: budget left >= ${pct(d.policy.minBudgetRemaining, 0)}, ` +
      `burn over ${d.policy.releaseWindow} <= ${d.policy.maxReleaseBurn}x, no page alert firing`,
  );
  return out.join('\n');
}
