// Where the customer meets the system, per platform (ADR 0202). The availability SLOs name a
// journey through the SLI plugin below; this one typed mapping turns it into the edge's series
// of the platform the rules are rendered for. Latency stays on the api's histograms: HAProxy 2.6
// exports no latency histogram and the load balancer's latencies lag by minutes.

/** The SLI plugin id the specs use for an availability SLI measured at the edge. */
export const EDGE_AVAILABILITY_PLUGIN = 'dhakacart/edge-availability/v1';

export const PLATFORMS = ['lab', 'gke'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const EDGE_JOURNEYS = ['browse', 'cart', 'checkout'] as const;
export type EdgeJourney = (typeof EDGE_JOURNEYS)[number];

export interface EdgeSource {
  /** Who answers the customer on this platform, for docs and dashboards. */
  edge: string;
  /** A counter of answered responses with a response-class label. */
  metric: string;
  /** The label matcher that picks the 5xx class. */
  errorMatcher: string;
  /** The label matchers that pick one journey's responses (all classes). */
  journeys: Record<EdgeJourney, string>;
}

export const EDGE_SOURCES: Record<Platform, EdgeSource> = {
  // HAProxy's exporter on the lab's edge (job `edge`): one backend per journey, all on the same
  // replicas (infra/lab/haproxy/edge.cfg). Its own 503s (no ready replica), 504s (timeouts) and
  // responses served from its cache are all counted per backend; a retried failure that ends
  // in success is counted once, as the success the customer saw.
  lab: {
    edge: 'HAProxy (the lab edge)',
    metric: 'haproxy_backend_http_responses_total',
    errorMatcher: 'code="5xx"',
    journeys: {
      browse: 'job="edge",proxy="api_browse"',
      cart: 'job="edge",proxy="api_cart"',
      checkout: 'job="edge",proxy="api_checkout"',
    },
  },
  // The global external Application Load Balancer's request_count, as the stackdriver exporter
  // (run with --monitoring.aggregate-deltas, so the DELTA metric is a counter) exposes it to
  // kube-prometheus-stack. The HTTPRoute has one rule per journey path, all to the one `api`
  // Service (one backend service keeps traffic-based autoscaling intact, ADR 0107), so the
  // journey is the URL map rule that matched. The LB does not see methods: GET /api/orders
  // (order history) counts with checkout.
  gke: {
    edge: 'the Google Cloud load balancer (GKE Gateway)',
    metric: 'stackdriver_https_lb_rule_loadbalancing_googleapis_com_https_request_count',
    errorMatcher: 'response_code_class="500"',
    journeys: {
      browse: 'matched_url_path_rule=~"/api/(products|categories)(/.*)?"',
      cart: 'matched_url_path_rule=~"/api/cart(/.*)?"',
      checkout: 'matched_url_path_rule="/api/orders"',
    },
  },
};

/** Sloth `events` queries (with the {{.window}} template) for one journey on one platform. */
export function edgeAvailabilityQueries(
  platform: Platform,
  journey: EdgeJourney,
): { errorQuery: string; totalQuery: string } {
  const src = EDGE_SOURCES[platform];
  const sel = src.journeys[journey];
  return {
    // `or vector(0)`: no 5xx series yet means zero errors, not "no data".
    errorQuery: `sum(rate(${src.metric}{${sel},${src.errorMatcher}}[{{.window}}])) or vector(0)`,
    // clamp_min: a quiet window reads 0% errors instead of NaN (which would poison the 30d
    // average); no series at all still yields no data.
    totalQuery: `clamp_min(sum(rate(${src.metric}{${sel}}[{{.window}}])), 1e-9)`,
  };
}

export function isPlatform(v: string): v is Platform {
  return (PLATFORMS as readonly string[]).includes(v);
}

export function isEdgeJourney(v: string): v is EdgeJourney {
  return (EDGE_JOURNEYS as readonly string[]).includes(v);
}
