import type { IClusterSecretStore } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore';
import type { WorkloadSettings } from '../settings';
import { CLUSTER_SECRET_STORE } from './api';

/**
 * External Secrets reads Secret Manager as its own Kubernetes service account, which Workload
 * Identity maps to a Google service account allowed to access only DhakaCart's secrets. No key.
 */
export function clusterSecretStore(s: WorkloadSettings): IClusterSecretStore {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterSecretStore',
    metadata: { name: CLUSTER_SECRET_STORE },
    spec: {
      // The store's secrets, and Alertmanager's receiver credentials.
      conditions: [{ namespaces: [s.namespace, s.monitoringNamespace] }],
      provider: { gcpsm: { projectID: s.gcpProject } },
    },
  };
}
