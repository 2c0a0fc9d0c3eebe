// Every Kubernetes object DhakaCart owns on GKE, in apply order. Pulumi's workloads stack and the
// offline render/validation both call buildWorkloadObjects, so what is validated is what ships.
import type { WorkloadSettings } from '../settings';
import * as api from './api';
import * as web from './web';
import {
  backendPolicy,
  gateway,
  gatewayPolicy,
  healthCheckPolicy,
  httpsRedirectRoute,
  storeRoute,
} from './gateway';
import {
  apiServiceMonitor,
  dashboardConfigMaps,
  prometheusRules,
  type SloSources,
} from './monitoring';
import { networkPolicies } from './network-policies';
import { podSecurityNamespace } from './namespace';
import { clusterSecretStore } from './secret-store';
import { veleroSchedules } from './backups';
import { peakTestRun } from './loadtest';
import { chaosSchedules } from './chaos';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
}

export function buildWorkloadObjects(s: WorkloadSettings, slo: SloSources): KubeObject[] {
  const objects: unknown[] = [
    podSecurityNamespace(s.namespace, 'restricted'),
    // k6-operator's initializer/starter pods are not `restricted`-clean; its runners are.
    podSecurityNamespace(s.loadtestNamespace, 'baseline'),
    clusterSecretStore(s),
    ...networkPolicies(s),
    api.apiServiceAccount(s),
    web.webServiceAccount(s),
    api.dataTierCaConfigMap(s),
    api.apiExternalSecret(s),
    api.migrationJob(s),
    api.apiService(s),
    api.apiDeployment(s),
    api.apiAutoscaler(s),
    api.apiDisruptionBudget(s),
    web.webService(s),
    web.webDeployment(s),
    web.webAutoscaler(s),
    web.webDisruptionBudget(s),
    gateway(s),
    httpsRedirectRoute(s),
    storeRoute(s),
    gatewayPolicy(s),
    backendPolicy(s, 'api'),
    backendPolicy(s, 'web'),
    healthCheckPolicy(s, 'api'),
    healthCheckPolicy(s, 'web'),
    apiServiceMonitor(s),
    ...prometheusRules(s, slo),
    ...dashboardConfigMaps(s, slo),
    ...veleroSchedules(s),
    peakTestRun(s),
    ...chaosSchedules(s),
  ];
  return objects as KubeObject[];
}

export type { SloSources };
