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

export function storeRoute(s: WorkloadSettings): IHTTPRoute {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'store', namespace: s.namespace },
    spec: {
      parentRefs: [{ name: GATEWAY_NAME, sectionName: 'https' }],
      hostnames: [s.domain],
      rules: [
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
