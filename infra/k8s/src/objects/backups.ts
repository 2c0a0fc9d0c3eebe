// Velero Schedules. The store's durable data lives in Cloud SQL (its own PITR backups); Velero
// protects the cluster state: manifests, secrets synced by ESO, and the monitoring namespace.
import type { WorkloadSettings } from '../settings';

export interface VeleroSchedule {
  apiVersion: 'velero.io/v1';
  kind: 'Schedule';
  metadata: { name: string; namespace: string; labels?: Record<string, string> };
  spec: {
    schedule: string;
    useOwnerReferencesInBackup: boolean;
    template: {
      includedNamespaces: string[];
      excludedResources?: string[];
      includeClusterResources: boolean;
      snapshotVolumes: boolean;
      storageLocation: string;
      ttl: string;
    };
  };
}

export function veleroSchedules(s: WorkloadSettings): VeleroSchedule[] {
  const base = (
    name: string,
    schedule: string,
    ttl: string,
    namespaces: string[],
    cluster: boolean,
  ): VeleroSchedule => ({
    apiVersion: 'velero.io/v1',
    kind: 'Schedule',
    metadata: {
      name,
      namespace: s.veleroNamespace,
      labels: { 'app.kubernetes.io/part-of': 'dhakacart' },
    },
    spec: {
      schedule,
      useOwnerReferencesInBackup: false,
      template: {
        includedNamespaces: namespaces,
        // Events and pod metrics are noise in a restore.
        excludedResources: ['events', 'events.events.k8s.io', 'pods.metrics.k8s.io'],
        includeClusterResources: cluster,
        snapshotVolumes: cluster,
        storageLocation: s.backups.storageLocation,
        ttl,
      },
    },
  });
  return [
    base('dhakacart-hourly', '0 * * * *', s.backups.hourlyTtl, [s.namespace], false),
    base('cluster-daily', '30 2 * * *', s.backups.dailyTtl, ['*'], true),
  ];
}
