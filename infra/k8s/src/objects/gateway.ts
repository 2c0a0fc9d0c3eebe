// Edge: one global external Application Load Balancer made by the GKE Gateway controller.
// HTTPS with a Google-managed certificate (Certificate Manager map), HTTP redirected to HTTPS,
// TLS 1.2+ through an SSL policy, Cloud Armor on both backends.
import type { IGateway } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway';
import type { IHTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import type { WorkloadSettings } from '../settings';
import { API_PORT } from './api';
import { WEB_PORT } from './web';
import { DRAIN_SECONDS } from './pod';

export const GATEWAY_NAME = 'external';
export const CATALOGUE_CDN_FILTER = 'catalogue-cdn';

/**
 * The public catalogue reads the lab's edge micro-caches (infra/lab edge), here behind Cloud CDN:
 * categories, product lists and search (`/api/products?...`) and product pages
 * (`/api/products/:id`). Gateway API path semantics: Exact, and PathPrefix by whole segments, so
 * `/api/products` covers `/api/products/42` but not `/api/productsx`. Never cart, auth, orders,
 * admin (`/api/admin/products` included) or ops.
 */
/** The public catalogue paths Cloud CDN may cache (the lab's edge caches the same). */
export const CDN_CATALOGUE_PATHS: string[] = ['/api/categories', '/api/products'];

export const CDN_CATALOGUE_MATCHES = [
  { path: { type: 'Exact' as const, value: '/api/categories' } },
  { path: { type: 'PathPrefix' as const, value: '/api/products' } },
];

/**
 * Cloud CDN for the catalogue route (GKE Gateway's GCPHTTPFilter): the api's own
 * `Cache-Control: public, max-age=5, s-maxage=3..5` decides what is cached and for how long
 * (the shared caches' time spread per response, ADR 0205; nothing with
 * `no-store`, nothing that sets a cookie: Cloud CDN never caches those); the cache key is host,
 * protocol, path and query string only, so cookies and Authorization never split or leak it;
 * error answers are not cached; concurrent misses for one key reach the api once.
 */
export function catalogueCdnFilter(s: WorkloadSettings) {
  return {
    apiVersion: 'networking.gke.io/v1',
    kind: 'GCPHTTPFilter',
    metadata: { name: CATALOGUE_CDN_FILTER, namespace: s.namespace },
    spec: {
      cachePolicy: {
        cacheMode: 'USE_ORIGIN_HEADERS',
        negativeCaching: false,
        requestCoalescing: true,
        cacheKeyPolicy: { includeHost: true, includeProtocol: true, includeQueryString: true },
      },
    },
  };
}
export const GATEWAY_CLASS = 'gke-l7-global-external-managed';

/** GKE's policy CRDs (networking.gke.io/v1); their shapes are checked by gke-policies.schema.ts. */
export interface GkePolicy {
  apiVersion: 'networking.gke.io/v1';
  kind: 'GCPGatewayPolicy' | 'GCPBackendPolicy' | 'HealthCheckPolicy';
  metadata: { name: string; namespace: string };
  spec: {
    default: Record<string, unknown>;
    targetRef: { group: string; kind: string; name: string };
  };
}

export function gateway(s: WorkloadSettings): IGateway {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: {
      name: GATEWAY_NAME,
      namespace: s.namespace,
      annotations: { 'networking.gke.io/certmap': s.gateway.certificateMapName },
    },
    spec: {
      gatewayClassName: GATEWAY_CLASS,
      addresses: [{ type: 'NamedAddress', value: s.gateway.staticAddressName }],
      listeners: [
        {
          name: 'https',
          protocol: 'HTTPS',
          port: 443,
          hostname: s.domain,
          allowedRoutes: { namespaces: { from: 'Same' } },
        },
        {
          name: 'http',
          protocol: 'HTTP',
          port: 80,
          hostname: s.domain,
          allowedRoutes: { namespaces: { from: 'Same' } },
        },
      ],
    },
  };
}

export function httpsRedirectRoute(s: WorkloadSettings): IHTTPRoute {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'http-to-https', namespace: s.namespace },
    spec: {
      parentRefs: [{ name: GATEWAY_NAME, sectionName: 'http' }],
      hostnames: [s.domain],
      rules: [
        {
          filters: [
            { type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } },
          ],
        },
      ],
    },
  };
}

/**
 * The api paths of the SLO journeys (as the lab edge's per-journey backends): browse, cart and
 * checkout. The load balancer sees no method, so GET /api/orders counts with checkout.
 */
export const API_JOURNEY_PATHS = [
  { type: 'PathPrefix', value: '/api/products' },
  { type: 'Exact', value: '/api/categories' },
  { type: 'PathPrefix', value: '/api/cart' },
  { type: 'Exact', value: '/api/orders' },
] as const;

export function storeRoute(s: WorkloadSettings): IHTTPRoute {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'store', namespace: s.namespace },
    spec: {
      parentRefs: [{ name: GATEWAY_NAME, sectionName: 'https' }],
      hostnames: [s.domain],
      rules: [
        // One rule per SLO journey, all to the one `api` Service: the load balancer then
        // counts requests per URL map rule (matched_url_path_rule), which the availability
        // SLOs read (slo/src/spec/edge-sources.ts, ADR 0202). One Service keeps one backend
        // service, so traffic-based autoscaling is unchanged (ADR 0107). The catalogue's rules
        // carry Cloud CDN (docs/gcp/cdn.md); cart and orders never do.
        ...API_JOURNEY_PATHS.map((path) => ({
          matches: [{ path }],
          ...(s.cdn.enabled && CDN_CATALOGUE_PATHS.includes(path.value)
            ? {
                filters: [
                  {
                    type: 'ExtensionRef' as const,
                    extensionRef: {
                      group: 'networking.gke.io',
                      kind: 'GCPHTTPFilter',
                      name: CATALOGUE_CDN_FILTER,
                    },
                  },
                ],
              }
            : {}),
          backendRefs: [{ name: 'api', port: 80 }],
        })),
        {
          matches: [{ path: { type: 'PathPrefix', value: '/api' } }],
          backendRefs: [{ name: 'api', port: 80 }],
        },
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          backendRefs: [{ name: 'web', port: 80 }],
        },
      ],
    },
  };
}

export function gatewayPolicy(s: WorkloadSettings): GkePolicy {
  return {
    apiVersion: 'networking.gke.io/v1',
    kind: 'GCPGatewayPolicy',
    metadata: { name: 'external-tls', namespace: s.namespace },
    spec: {
      default: { sslPolicy: s.gateway.sslPolicyName },
      targetRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: GATEWAY_NAME },
    },
  };
}

export function backendPolicy(s: WorkloadSettings, service: 'api' | 'web'): GkePolicy {
  const scaling = service === 'api' ? s.api.scaling : s.web.scaling;
  return {
    apiVersion: 'networking.gke.io/v1',
    kind: 'GCPBackendPolicy',
    metadata: { name: service, namespace: s.namespace },
    spec: {
      default: {
        securityPolicy: s.gateway.securityPolicyName,
        timeoutSec: 30,
        connectionDraining: { drainingTimeoutSec: DRAIN_SECONDS },
        logging: { enabled: true, sampleRate: 100000 },
        maxRatePerEndpoint: scaling.maxRatePerEndpoint,
      },
      targetRef: { group: '', kind: 'Service', name: service },
    },
  };
}

export function healthCheckPolicy(s: WorkloadSettings, service: 'api' | 'web'): GkePolicy {
  const [port, requestPath] = service === 'api' ? [API_PORT, '/readyz'] : [WEB_PORT, '/healthz'];
  return {
    apiVersion: 'networking.gke.io/v1',
    kind: 'HealthCheckPolicy',
    metadata: { name: service, namespace: s.namespace },
    spec: {
      default: {
        checkIntervalSec: 5,
        timeoutSec: 3,
        healthyThreshold: 1,
        unhealthyThreshold: 2,
        logConfig: { enabled: false },
        config: { type: 'HTTP', httpHealthCheck: { port, requestPath } },
      },
      targetRef: { group: '', kind: 'Service', name: service },
    },
  };
}
