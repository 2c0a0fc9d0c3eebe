import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generate } from '../compile/generate';
import { SpecValidationError, type SpecIssue } from './errors';
import { loadSpecs, parseSpecText } from './load';

const valid = `version: "prometheus/v1"
service: "shop"
slos:
  - name: "availability"
    objective: 99.5
    sli:
      events:
        error_query: sum(rate(http_requests_total{status=~"5.."}[{{.window}}]))
        total_query: sum(rate(http_requests_total[{{.window}}]))
    alerting:
      name: ShopAvailability
`;

function issuesOf(text: string): SpecIssue[] {
  const issues: SpecIssue[] = [];
  parseSpecText('specs/shop.yaml', text, issues);
  return issues;
}

describe('spec validation', () => {
  it('accepts a valid spec', () => {
    expect(issuesOf(valid)).toEqual([]);
  });

  it.each([
    ['0', 'must be in (0,100]'],
    ['-1', 'must be in (0,100]'],
    ['100.01', 'must be in (0,100]'],
    ['"high"', 'must be a number'],
  ])('rejects objective %s with the file, field and reason', (objective, reason) => {
    expect(issuesOf(valid.replace('objective: 99.5', `objective: ${objective}`))).toEqual([
      { file: 'specs/shop.yaml', field: 'slos[0].objective', reason },
    ]);
  });

  it('accepts objective 100', () => {
    expect(issuesOf(valid.replace('objective: 99.5', 'objective: 100'))).toEqual([]);
  });

  it('rejects a query without {{.window}}', () => {
    expect(
      issuesOf(valid.replace('http_requests_total[{{.window}}]', 'http_requests_total[5m]')),
    ).toEqual([
      {
        file: 'specs/shop.yaml',
        field: 'slos[0].sli.events.total_query',
        reason: 'missing the {{.window}} template variable',
      },
    ]);
  });

  it('rejects unknown fields, naming the field', () => {
    expect(issuesOf(valid.replace('objective: 99.5', 'objective: 99.5\n    objetive: 99'))).toEqual(
      [
        {
          file: 'specs/shop.yaml',
          field: 'slos[0].objetive',
          reason: 'unknown field(s): objetive',
        },
      ],
    );
    expect(issuesOf(`${valid}extra: 1\n`)).toEqual([
      { file: 'specs/shop.yaml', field: 'extra', reason: 'unknown field(s): extra' },
    ]);
  });

  it('rejects PromQL syntax errors found by lezer-promql', () => {
    const issues = issuesOf(
      valid.replace('sum(rate(http_requests_total{status', 'sum(rate(http_requests_total{{status'),
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      file: 'specs/shop.yaml',
      field: 'slos[0].sli.events.error_query',
    });
    expect(issues[0]?.reason).toMatch(/^PromQL syntax error at offset \d+/);
    const unbalanced = issuesOf(
      valid.replace('[{{.window}}]))\n    alerting', '[{{.window}}])\n    alerting'),
    );
    expect(unbalanced[0]?.field).toBe('slos[0].sli.events.total_query');
  });

  it('rejects unknown template variables', () => {
    const issues = issuesOf(
      valid.replace(
        'http_requests_total[{{.window}}]',
        'http_requests_total[{{.window}}] offset {{.offset}}',
      ),
    );
    expect(issues[0]?.reason).toMatch(/template|syntax/);
  });

  it('requires an alert name unless both alerts are disabled', () => {
    expect(issuesOf(valid.replace('      name: ShopAvailability\n', '      labels: {}\n'))).toEqual(
      [
        {
          file: 'specs/shop.yaml',
          field: 'slos[0].alerting.name',
          reason: 'required unless both page_alert and ticket_alert are disabled',
        },
      ],
    );
  });

  it('rejects SLI plugins and unknown SLO plugins with a clear reason', () => {
    const plugin = valid.replace(
      /sli:\n {6}events:\n.*\n.*\n/,
      'sli:\n      plugin:\n        id: getting_started_availability\n',
    );
    expect(issuesOf(plugin)[0]?.reason).toMatch(/SLI plugins are Go code/);
    const chain = valid.replace(
      'slos:\n',
      'slo_plugins:\n  chain:\n    - id: sloth.dev/contrib/denominator_corrected/v1\nslos:\n',
    );
    expect(issuesOf(chain)[0]?.reason).toMatch(/unsupported SLO plugin/);
  });

  it('reports every problem at once, with the document index in multi-doc files', () => {
    const issues = issuesOf(
      `${valid}---\n${valid.replace('objective: 99.5', 'objective: 0').replace('[{{.window}}]))\n    alerting', '[5m]))\n    alerting')}`,
    );
    expect(issues.map((i) => i.field)).toEqual(['document[1].slos[0].objective']);
    // The zod pass stops that document before the query check; fix the objective to see it.
    const second = issuesOf(
      `${valid}---\n${valid.replace('[{{.window}}]))\n    alerting', '[5m]))\n    alerting')}`,
    );
    expect(second.map((i) => i.field)).toEqual(['document[1].slos[0].sli.events.total_query']);
  });

  it('rejects duplicate SLO ids across files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slo-dup-'));
    fs.writeFileSync(path.join(dir, 'a.yaml'), valid);
    fs.writeFileSync(path.join(dir, 'b.yml'), valid);
    expect(() => loadSpecs(dir, dir)).toThrow(/duplicate SLO id "shop-availability"/);
  });
});

describe('generate', () => {
  it('never writes a partial rule file when any spec is invalid', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slo-gen-'));
    const specs = path.join(dir, 'specs');
    fs.mkdirSync(specs);
    fs.writeFileSync(path.join(specs, 'a-good.yaml'), valid);
    fs.writeFileSync(
      path.join(specs, 'b-bad.yaml'),
      valid
        .replace('service: "shop"', 'service: "shop2"')
        .replace('objective: 99.5', 'objective: 101'),
    );
    const out = path.join(dir, 'rules.yaml');
    fs.writeFileSync(out, 'previous content\n');
    let err: unknown;
    try {
      generate(specs, out);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SpecValidationError);
    expect((err as SpecValidationError).toJSON()).toEqual({
      error: 'SLO_SPEC_INVALID',
      issues: [
        {
          file: expect.stringMatching(/b-bad\.yaml$/),
          field: 'slos[0].objective',
          reason: 'must be in (0,100]',
        },
      ],
    });
    expect(fs.readFileSync(out, 'utf8')).toBe('previous content\n');
    expect(fs.readdirSync(dir).sort()).toEqual(['rules.yaml', 'specs']);
  });

  it('writes the rule file when every spec is valid', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slo-gen-'));
    fs.writeFileSync(path.join(dir, 'shop.yaml'), valid);
    const res = generate(path.join(dir, 'shop.yaml'), path.join(dir, 'out/rules.yaml'));
    expect(res).toMatchObject({
      slos: ['shop-availability'],
      // short SLI windows, long SLI windows (once a minute), meta recordings, alerts
      groups: 4,
      rules: 18,
      platform: 'lab',
    });
    expect(fs.readFileSync(path.join(dir, 'out/rules.yaml'), 'utf8')).toContain(
      'record: slo:sli_error:ratio_rate30d',
    );
  });
});

describe('Kubernetes-format validation', () => {
  const k8s = `apiVersion: sloth.slok.dev/v1
kind: PrometheusServiceLevel
metadata:
  name: shop
spec:
  service: shop
  slos:
    - name: availability
      objective: 99.5
      sli:
        events:
          errorQuery: sum(rate(http_requests_total{status=~"5.."}[5m]))
          totalQuery: sum(rate(http_requests_total[{{.window}}]))
      alerting:
        name: ShopAvailability
        pageAlert:
          lables: {}
`;

  it('names fields as written in the Kubernetes document', () => {
    expect(issuesOf(k8s)).toEqual([
      {
        file: 'specs/shop.yaml',
        field: 'spec.slos[0].alerting.pageAlert.lables',
        reason: 'unknown field(s): lables',
      },
    ]);
    expect(issuesOf(k8s.replace('          lables: {}\n', '          labels: {}\n'))).toEqual([
      {
        file: 'specs/shop.yaml',
        field: 'spec.slos[0].sli.events.errorQuery',
        reason: 'missing the {{.window}} template variable',
      },
    ]);
  });

  it('rejects a wrong kind', () => {
    expect(issuesOf(k8s.replace('kind: PrometheusServiceLevel', 'kind: Other'))).toEqual([
      { file: 'specs/shop.yaml', field: 'kind', reason: 'must be "PrometheusServiceLevel"' },
    ]);
  });
});
