// Artifact Registry (Docker, immutable tags, vulnerability scanning) and the Velero bucket.
import * as pulumi from '@pulumi/pulumi';
import * as artifactregistry from '@pulumi/gcp/artifactregistry';
import * as storage from '@pulumi/gcp/storage';

export interface RegistryArgs {
  prefix: string;
  region: string;
}

export class Registry extends pulumi.ComponentResource {
  readonly repository: artifactregistry.Repository;
  readonly url: pulumi.Output<string>;

  constructor(name: string, a: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super('dhakacart:platform:Registry', name, {}, opts);
    this.repository = new artifactregistry.Repository(
      name,
      {
        repositoryId: 'dhakacart',
        location: a.region,
        format: 'DOCKER',
        description: 'DhakaCart images (api, web)',
        dockerConfig: { immutableTags: true },
        // Scanning is on for the repository (the Container Scanning API is enabled by Services).
        vulnerabilityScanningConfig: { enablementConfig: 'INHERITED' },
        cleanupPolicies: [
          { id: 'keep-recent', action: 'KEEP', mostRecentVersions: { keepCount: 30 } },
          {
            id: 'drop-old-untagged',
            action: 'DELETE',
            condition: { tagState: 'UNTAGGED', olderThan: '1209600s' },
          },
        ],
        labels: { app: 'dhakacart' },
      },
      { parent: this },
    );
    this.url = pulumi.interpolate`${a.region}-docker.pkg.dev/${this.repository.project}/${this.repository.repositoryId}`;
    this.registerOutputs({ url: this.url });
  }
}

export interface BackupBucketArgs {
  prefix: string;
  project: string;
  location: string;
  noncurrentVersionDays: number;
  softDeleteDays: number;
}

/**
 * Velero's bucket: versioned, and retention through soft delete plus a lifecycle on noncurrent
 * versions. A bucket retention policy is not used: it would stop Velero from expiring backups
 * and is documented as incompatible with Object Versioning (see ADR 0105).
 */
export class BackupBucket extends pulumi.ComponentResource {
  readonly bucket: storage.Bucket;

  constructor(name: string, a: BackupBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super('dhakacart:platform:BackupBucket', name, {}, opts);
    this.bucket = new storage.Bucket(
      name,
      {
        name: `${a.project}-velero`,
        location: a.location,
        storageClass: 'STANDARD',
        uniformBucketLevelAccess: true,
        publicAccessPrevention: 'enforced',
        forceDestroy: false,
        versioning: { enabled: true },
        softDeletePolicy: { retentionDurationSeconds: a.softDeleteDays * 86400 },
        lifecycleRules: [
          {
            action: { type: 'Delete' },
            condition: { daysSinceNoncurrentTime: a.noncurrentVersionDays, withState: 'ARCHIVED' },
          },
          { action: { type: 'Delete' }, condition: { numNewerVersions: 5, withState: 'ARCHIVED' } },
        ],
        labels: { app: 'dhakacart', purpose: 'velero' },
      },
      { parent: this, protect: true },
    );
    this.registerOutputs({ bucket: this.bucket.name });
  }
}
