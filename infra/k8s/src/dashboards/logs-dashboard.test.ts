import { parser } from '@grafana/lezer-logql';
import { customer, errors, errorsPerMinute } from '@dhakacart/logs/src/queries';
import { ENVIRONMENTS } from '../environments';
import { buildWorkloadObjects } from '../objects';
import { logsDashboard, LOKI_DATASOURCE } from './logs-dashboard';

interface Panel {
  type: string;
  title: string;
  datasource?: { uid?: string };
  timeFrom?: string;
  targets?: { expr: string; datasource?: { uid?: string } }[];
}

/** The position of the first syntax error lezer-logql finds, or null. */
function logqlError(expr: string): number | null {
  let at: number | null = null;
  parser.parse(expr).iterate({
    enter: (node) => {
      if (at === null && node.type.isError) at = node.from;
    },
  });
  return at;
}

const s = ENVIRONMENTS.prod;
const board = logsDashboard(s.namespace) as unknown as {
  uid: string;
  panels: Panel[];
  templating: { list: { name: string; type: string }[] };
};
const panels = board.panels.filter((p) => p.type !== 'row');
const byTitle = (t: RegExp) => panels.find((p) => t.test(p.title))!;
const scope = { stack: s.namespace, since: '1h' };

describe('the GKE logs dashboard', () => {
  it('answers the shop’s two questions, each in its own panel', () => {
    expect(byTitle(/^Errors in the last hour$/)).toMatchObject({ type: 'logs', timeFrom: '1h' });
    expect(byTitle(/^Requests from customer \$customer$/)).toMatchObject({ type: 'logs' });
    expect(board.templating.list).toContainEqual(
      expect.objectContaining({ name: 'customer', type: 'textbox' }),
    );
  });

  it('uses the saved queries of tools/logs, not copies of them', () => {
    expect(byTitle(/^Errors in the last hour$/).targets![0]!.expr).toBe(errors.logql(scope));
    expect(byTitle(/per minute/).targets![0]!.expr).toBe(errorsPerMinute.logql(scope));
    expect(byTitle(/^Requests from customer/).targets![0]!.expr).toBe(
      customer.logql({ ...scope, userId: '$customer' }),
    );
  });

  it.each(panels.map((p) => [p.title, p] as const))(
    '“%s” queries Loki with LogQL that lezer-logql parses',
    (_t, p) => {
      expect(p.targets!.length).toBeGreaterThan(0);
      for (const t of p.targets!) {
        expect(logqlError(t.expr)).toBeNull();
        expect(t.datasource).toEqual(LOKI_DATASOURCE);
      }
    },
  );

  it('would catch a broken query (the parser check is not vacuous)', () => {
    expect(logqlError('{namespace="dhakacart" |= "x"')).not.toBeNull();
  });

  it('is loaded by Grafana’s sidecar from a labelled ConfigMap in the monitoring namespace', () => {
    const cm = buildWorkloadObjects(s, { ruleFiles: [], dashboards: [], missing: [] }).find(
      (o) => o.metadata?.name === 'dashboard-dhakacart-logs',
    ) as unknown as {
      metadata: { namespace: string; labels: Record<string, string> };
      data: Record<string, string>;
    };
    expect(cm.metadata.namespace).toBe(s.monitoringNamespace);
    expect(cm.metadata.labels.grafana_dashboard).toBe('1');
    expect(JSON.parse(cm.data['dhakacart-logs.json']!)).toEqual(JSON.parse(JSON.stringify(board)));
  });
});
