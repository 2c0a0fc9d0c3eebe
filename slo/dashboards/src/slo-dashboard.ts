import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { BURN_POLICY } from '../../src/compile/compile';
import type { SloModel } from '../../src/spec/load';
import { DEFAULT_POLICY } from '../../src/gate/decide';
import {
  datasourceVariable,
  graph,
  higherIsWorse,
  lowerIsWorse,
  neutral,
  query,
  singleStat,
} from './panels';

// One row per SLO, generated from the same specs as the rules, so a new SLO gets its panels.
// Colours follow the gate and the alerts: budget below the gate's threshold is red; burn above
// 1x (spending faster than the period allows) is yellow, above the page's slow factor is red.

const PAGE_SLOW = BURN_POLICY.page.slow.factor;

export function sloDashboard(slos: SloModel[]): dashboard.Dashboard {
  const b = new dashboard.DashboardBuilder('DhakaCart SLOs')
    .uid('dhakacart-slos')
    .tags(['dhakacart', 'slo', 'generated'])
    .description(
      'Generated from slo/specs by slo/dashboards/src. Edit the specs or code, not this JSON.',
    )
    .readonly()
    .time({ from: 'now-7d', to: 'now' })
    .refresh('1m')
    .timezone('browser')
    .withVariable(datasourceVariable());
  for (const s of slos) {
    const sel = `{sloth_id="${s.id}"}`;
    const objectiveRatio = s.objective / 100;
    b.withRow(new dashboard.RowBuilder(`${s.name}: ${s.description ?? ''}`.trim()))
      .withPanel(
        singleStat(
          'Objective',
          'percentunit',
          neutral(),
          query(`slo:objective:ratio${sel}`),
          4,
        ).decimals(3),
      )
      .withPanel(
        singleStat(
          'SLI (30 days)',
          'percentunit',
          // Green at or above the objective, yellow within the budget's last quarter, red below.
          lowerIsWorse(objectiveRatio, objectiveRatio + (1 - objectiveRatio) * 0.25),
          query(`1 - slo:sli_error:ratio_rate30d${sel}`),
          5,
        ).decimals(3),
      )
      .withPanel(
        singleStat(
          'Error budget left (30 days)',
          'percentunit',
          lowerIsWorse(DEFAULT_POLICY.minBudgetRemaining, 0.5),
          query(`slo:period_error_budget_remaining:ratio${sel}`),
          5,
        ),
      )
      .withPanel(
        singleStat(
          'Burn rate now (5m)',
          'x',
          higherIsWorse(1, PAGE_SLOW),
          query(`slo:current_burn_rate:ratio${sel}`),
          5,
        ),
      )
      .withPanel(
        singleStat(
          'Burn rate (30 days)',
          'x',
          higherIsWorse(1 - DEFAULT_POLICY.minBudgetRemaining, 1),
          query(`slo:period_burn_rate:ratio${sel}`),
          5,
        ),
      )
      .withPanel(
        graph(
          'Burn rate per window',
          'x',
          higherIsWorse(1, PAGE_SLOW),
          [
            query(
              `{__name__=~"slo:sli_error:ratio_rate(5m|30m|1h|2h|6h|1d|3d)", sloth_id="${s.id}"} / on (sloth_id) group_left slo:error_budget:ratio${sel}`,
              '{{sloth_window}}',
            ),
          ],
          14,
        ),
      )
      .withPanel(
        graph(
          'Error budget left over time',
          'percentunit',
          lowerIsWorse(DEFAULT_POLICY.minBudgetRemaining, 0.5),
          [query(`slo:period_error_budget_remaining:ratio${sel}`, 'budget left')],
          10,
        ),
      );
  }
  return b.build();
}
