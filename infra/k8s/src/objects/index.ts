// Every Kubernetes object DhakaCart owns on GKE, in apply order. Pulumi's workloads stack and the
// offline render/validation both call buildWorkloadObjects, so what is validated is what ships.
import type { WorkloadSettings } from '../settings';
import * as api from './api';
import * as web from './web';
import {
  catalogueCdnFilter,
  backendPolicy,
  gateway,
  gatewayPolicy,
  healthCheckPolicy,
  httpsRedirectRoute,
  storeRoute,
} from './gateway';
import {
  alertmanagerExternalSecret,
  apiServiceMonitor,
  dashboardConfigMaps,
  prometheusRules,
  type SloSources,
} from './monitoring';
import { networkPolicies } from './network-policies';
import { namespaceObjects } from './namespaces';
import { clusterSecretStore } from './secret-store';
import { veleroSchedules } from './backups';
import { loadtestObjects } from './loadtest';
import { readK6Scripts, type K6Scripts } from './k6-scripts';
import { chaosObjects } from './chaos';
import { logsDashboardConfigMap } from './logs';
import { cloudSqlDrillObjects, veleroDrillObjects } from './restore-drill';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
}

/**
 * The objects in the order the workloads stack applies them:
 * - `namespaces`: every namespace with its Pod Security level and network policy, before any
 *   add-on chart is installed into it;
 * - `secrets`: the secret store and Alertmanager's credentials, once External Secrets runs and
 *   before kube-prometheus-stack starts Alertmanager;
 * - `workloads`: the store itself, once every add-on owning a CRD is in.
 */
export interface ObjectPhases {
  namespaces: KubeObject[];
  secrets: KubeObject[];
  workloads: KubeObject[];
}

/**
 * `k6` defaults to the loadtests workspace's committed scripts (read by package name): the
 * ConfigMap and the runner plan always follow what that workspace generated.
 */
export function buildObjectPhases(
  s: WorkloadSettings,
  slo: SloSources,
  k6: K6Scripts = readK6Scripts(),
): ObjectPhases {
  return {
    namespaces: namespaceObjects(s) as KubeObject[],
    secrets: [clusterSecretStore(s), alertmanagerExternalSecret(s)] as KubeObject[],
    workloads: workloadObjects(s, slo, k6),
  };
}

/** Every object of every phase, in apply order (what the render and the validators see). */
export function buildWorkloadObjects(
  s: WorkloadSettings,
  slo: SloSources,
  k6: K6Scripts = readK6Scripts(),
): KubeObject[] {
  const p = buildObjectPhases(s, slo, k6);
  return [...p.namespaces, ...p.secrets, ...p.workloads];
}

function workloadObjects(s: WorkloadSettings, slo: SloSources, k6: K6Scripts): KubeObject[] {
  const objects = [
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
    ...(s.cdn.enabled ? [catalogueCdnFilter(s)] : []),
    storeRoute(s),
    gatewayPolicy(s),
    backendPolicy(s, 'api'),
    backendPolicy(s, 'web'),
    healthCheckPolicy(s, 'api'),
    healthCheckPolicy(s, 'web'),
    apiServiceMonitor(s),
    ...prometheusRules(s, slo),
    ...dashboardConfigMaps(s, slo),
    logsDashboardConfigMap(s),
    ...veleroSchedules(s),
    ...cloudSqlDrillObjects(s),
    ...loadtestObjects(s, k6),
    ...chaosObjects(s),
  ] as KubeObject[];
  // The Velero drill checks the restore against the app namespace's objects rendered above.
  const appNamespace = [...(namespaceObjects(s) as KubeObject[]), ...objects];
  return [...objects, ...(veleroDrillObjects(s, appNamespace) as KubeObject[])];
}

export type { SloSources };
