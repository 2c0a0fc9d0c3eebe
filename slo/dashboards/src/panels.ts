import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

// Shared building blocks so every dashboard colours the same way: green is fine, yellow needs
// a look, red hurts users. The datasource is a variable so the same JSON works in any Grafana.

export const DATASOURCE: common.DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

export function datasourceVariable(): dashboard.DatasourceVariableBuilder {
  return new dashboard.DatasourceVariableBuilder('datasource')
    .label('Prometheus')
    .type('prometheus');
}

/** Thresholds where higher is worse: green below `yellow`, yellow below `red`, red above. */
export function higherIsWorse(yellow: number, red: number): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
    { value: null, color: 'green' },
    { value: yellow, color: 'yellow' },
    { value: red, color: 'red' },
  ]);
}

/** Thresholds where lower is worse: red below `red`, yellow below `yellow`, green above. */
export function lowerIsWorse(red: number, yellow: number): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
    { value: null, color: 'red' },
    { value: red, color: 'yellow' },
    { value: yellow, color: 'green' },
  ]);
}

/** For plots where no value is good or bad by itself (traffic volume): one green step. */
export function neutral(): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps([{ value: null, color: 'green' }]);
}

export function query(expr: string, legend?: string, refId = 'A'): prometheus.DataqueryBuilder {
  const q = new prometheus.DataqueryBuilder().datasource(DATASOURCE).expr(expr).refId(refId);
  return legend ? q.legendFormat(legend) : q;
}

export function graph(
  title: string,
  unit: string,
  thresholds: dashboard.ThresholdsConfigBuilder,
  targets: prometheus.DataqueryBuilder[],
  width = 12,
): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title(title)
    .datasource(DATASOURCE)
    .unit(unit)
    .thresholds(thresholds)
    .colorScheme(new dashboard.FieldColorBuilder().mode(dashboard.FieldColorModeId.PaletteClassic))
    .thresholdsStyle(
      new common.GraphThresholdsStyleConfigBuilder().mode(
        common.GraphThresholdsStyleMode.LineAndArea,
      ),
    )
    .fillOpacity(10)
    .targets(targets)
    .height(8)
    .span(width);
}

export function singleStat(
  title: string,
  unit: string,
  thresholds: dashboard.ThresholdsConfigBuilder,
  target: prometheus.DataqueryBuilder,
  width = 6,
): stat.PanelBuilder {
  return new stat.PanelBuilder()
    .title(title)
    .datasource(DATASOURCE)
    .unit(unit)
    .decimals(2)
    .thresholds(thresholds)
    .colorScheme(new dashboard.FieldColorBuilder().mode(dashboard.FieldColorModeId.Thresholds))
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.Area)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']))
    .targets([target.instant()])
    .height(5)
    .span(width);
}
