import * as path from 'node:path';
import { compileSlos, type RecordingRule } from '../compile/compile';
import type { SpecIssue } from './errors';
import { EDGE_AVAILABILITY_PLUGIN, EDGE_SOURCES, edgeAvailabilityQueries } from './edge-sources';
import { loadSpecs, parseSpecText } from './load';

const SPECS = path.join(__dirname, '../../specs');

const edgeSpec = (options: string) => `version: "prometheus/v1"
service: "shop"
slos:
  - name: "cart-availability"
    objective: 99.9
    sli:
      plugin:
        id: ${EDGE_AVAILABILITY_PLUGIN}
        options: ${options}
    alerting:
      name: CartAvailability
`;

function parse(text: string, platform: 'lab' | 'gke' = 'lab') {
  const issues: SpecIssue[] = [];
  const models = parseSpecText('specs/shop.yaml', text, issues, platform);
  return { models, issues };
}

describe('the edge-availability SLI plugin', () => {
  it('renders the lab journey as HAProxy backend response counts, edge 5xx over all answered', () => {
    const { models, issues } = parse(edgeSpec('{ journey: cart }'));
    expect(issues).toEqual([]);
    expect(models[0]?.edge).toEqual({ journey: 'cart', platform: 'lab' });
    expect(models[0]?.sli).toEqual({
      kind: 'events',
      errorQuery:
        'sum(rate(haproxy_backend_http_responses_total{job="edge",proxy="api_cart",code="5xx"}[{{.window}}])) or vector(0)',
      totalQuery:
        'clamp_min(sum(rate(haproxy_backend_http_responses_total{job="edge",proxy="api_cart"}[{{.window}}])), 1e-9)',
    });
  });

  it('renders the same spec on GKE as the load balancer request counts of the journey path rule', () => {
    const { models } = parse(edgeSpec('{ journey: cart }'), 'gke');
    expect(models[0]?.edge).toEqual({ journey: 'cart', platform: 'gke' });
    expect(models[0]?.sli).toEqual({
      kind: 'events',
      errorQuery:
        'sum(rate(stackdriver_https_lb_rule_loadbalancing_googleapis_com_https_request_count{matched_url_path_rule=~"/api/cart(/.*)?",response_code_class="500"}[{{.window}}])) or vector(0)',
      totalQuery:
        'clamp_min(sum(rate(stackdriver_https_lb_rule_loadbalancing_googleapis_com_https_request_count{matched_url_path_rule=~"/api/cart(/.*)?"}[{{.window}}])), 1e-9)',
    });
  });

  it.each([
    [
      '{ journey: wishlist }',
      'slos[0].sli.plugin.options.journey',
      /must be one of browse, cart, checkout, got "wishlist"/,
    ],
    ['{}', 'slos[0].sli.plugin.options.journey', /got ""/],
    ['{ journey: cart, proxy: api }', 'slos[0].sli.plugin.options', /unknown option\(s\): proxy/],
  ])('rejects options %s with the field and reason', (options, field, reason) => {
    const { models, issues } = parse(edgeSpec(options));
    expect(models).toEqual([]);
    expect(issues).toEqual([
      { file: 'specs/shop.yaml', field, reason: expect.stringMatching(reason) },
    ]);
  });

  it('gives every journey on every platform valid, distinct selectors', () => {
    for (const [platform, src] of Object.entries(EDGE_SOURCES)) {
      const sels = Object.values(src.journeys);
      expect(new Set(sels).size).toBe(sels.length);
      for (const j of Object.keys(src.journeys) as (keyof typeof src.journeys)[]) {
        const q = edgeAvailabilityQueries(platform as 'lab' | 'gke', j);
        expect(q.errorQuery).toContain(src.errorMatcher);
        expect(q.totalQuery).not.toContain(src.errorMatcher);
      }
    }
  });
});

describe('the project spec rendered per platform', () => {
  const sli30s = (platform: 'lab' | 'gke') =>
    compileSlos(loadSpecs(SPECS, process.cwd(), platform))
      .flatMap((g) => g.rules)
      .filter(
        (r): r is RecordingRule => 'record' in r && r.record === 'slo:sli_error:ratio_rate30s',
      );

  it('records a 30 s error ratio for every SLO on both platforms, with the game day contract labels', () => {
    for (const platform of ['lab', 'gke'] as const) {
      const rules = sli30s(platform);
      expect(rules.map((r) => r.labels.sloth_slo).sort()).toEqual([
        'browse-availability',
        'browse-latency',
        'cart-availability',
        'checkout-availability',
        'checkout-latency',
        'checkout-success',
      ]);
      for (const r of rules) {
        expect(r.labels).toMatchObject({
          sloth_service: 'dhakacart',
          sloth_id: `dhakacart-${r.labels.sloth_slo}`,
          sloth_window: '30s',
        });
        expect(r.labels.journey).toMatch(/^(browse|cart|checkout)$/);
        expect(r.labels.category).toMatch(/^(availability|latency|correctness)$/);
        expect(r.expr).toContain('[30s]');
      }
    }
  });

  it('differs between platforms only in the availability SLIs; latency stays on the api histograms', () => {
    const lab = sli30s('lab');
    const gke = sli30s('gke');
    for (const r of lab) {
      const twin = gke.find((g) => g.labels.sloth_slo === r.labels.sloth_slo)!;
      if (r.labels.category === 'availability') {
        expect(r.expr).toMatch(/haproxy_backend_http_responses_total\{job="edge",proxy="api_/);
        expect(twin.expr).toMatch(/stackdriver_https_lb_rule_/);
        expect(`${r.expr}${twin.expr}`).not.toMatch(/http_requests_total\{job="api"/);
      } else {
        expect(twin.expr).toBe(r.expr);
        expect(r.expr).toMatch(/\{job="api"/);
      }
    }
  });
});
