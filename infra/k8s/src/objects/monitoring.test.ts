import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ENVIRONMENTS } from '../environments';
import {
  dashboardConfigMaps,
  parseRuleFile,
  prometheusRules,
  readSloSources,
  RuleFileError,
} from './monitoring';

const RULES = `groups:
  - name: api-availability
    rules:
      - record: slo:sli_error:ratio_rate5m
        expr: sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))
`;

function fakeRepo(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'slo-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

describe('SLO rule and dashboard loading', () => {
  it('builds one PrometheusRule per committed rule file, with its groups unchanged', () => {
    const root = fakeRepo({
      'slo/generated/slo-rules.gke.yaml': RULES,
      // The lab's rendering (HAProxy series) must never reach the cluster.
      'slo/generated/slo-rules.yaml': 'groups: [{ name: lab-only, rules: [] }]',
      'slo/dashboards/generated/api.json': '{"title":"API"}',
    });
    const sources = readSloSources(root);
    expect(sources.missing).toEqual(['slo/rules/infra-alerts.yaml']);
    const [rule] = prometheusRules(ENVIRONMENTS.prod, sources);
    expect(rule?.metadata?.name).toBe('dhakacart-slo');
    expect(rule?.metadata?.namespace).toBe('monitoring');
    expect(rule?.spec.groups?.map((g) => g.name)).toEqual(['api-availability']);
    expect(rule?.metadata?.labels?.['dhakacart.io/source']).toBe(
      'slo_generated_slo-rules.gke.yaml',
    );
    const [dash] = dashboardConfigMaps(ENVIRONMENTS.prod, sources);
    expect(dash?.metadata?.labels?.grafana_dashboard).toBe('1');
    expect(dash?.data?.['api.json']).toBe('{"title":"API"}');
  });

  it("uses the repository's GKE rendering: availability at the load balancer, never HAProxy", () => {
    const sources = readSloSources(path.resolve(__dirname, '../../../..'));
    const slo = prometheusRules(ENVIRONMENTS.prod, sources).find(
      (r) => r.metadata?.name === 'dhakacart-slo',
    )!;
    const exprs = JSON.stringify(slo.spec.groups);
    expect(exprs).toContain(
      'stackdriver_https_lb_rule_loadbalancing_googleapis_com_https_request_count',
    );
    expect(exprs).not.toContain('haproxy_');
    expect(exprs).toContain('slo:sli_error:ratio_rate30s');
  });

  it('rejects a rule file without groups with a machine-readable error', () => {
    expect(() => parseRuleFile('x.yaml', 'rules: []')).toThrow(RuleFileError);
    try {
      parseRuleFile('x.yaml', 'groups: [{ rules: [] }]');
    } catch (e) {
      expect((e as RuleFileError).code).toBe('INVALID_RULE_FILE');
      expect((e as RuleFileError).message).toMatch(/group 0 needs a string name/);
    }
  });

  it('rejects a dashboard that is not JSON', () => {
    const root = fakeRepo({ 'slo/dashboards/generated/bad.json': '{nope' });
    expect(() => dashboardConfigMaps(ENVIRONMENTS.prod, readSloSources(root))).toThrow(/not JSON/);
  });
});
