// Artifact Registry (Docker, immutable tags, vulnerability scanning) and the Velero bucket.
import * as pulumi from '@pulumi/pulumi';
import * as artifactregistry from '@pulumi/gcp/artifactregistry';
import * as storage from '@pulumi/gcp/storage';

export const REPOSITORY_ID = 'dhakacart';

export interface RegistryArgs {
  prefix: string;
  /** The stack's project. */
  project: string;
  /** A multi-region (asia, europe, us): images survive the loss of any one region. */
  location: string;
  /** The project that holds the repository; another project means "use it, do not create it". */
  registryProject: string;
}

/** Where the images live, whether this stack created the repository or only uses it. */
export interface RepositoryRef {
  project: string;
  location: string;
  repositoryId: string;
}

export class Registry extends pulumi.ComponentResource {
  /** Undefined when the repository belongs to another stack (a disaster-recovery region). */
  readonly repository?: artifactregistry.Repository;
  readonly ref: RepositoryRef;
  readonly url: pulumi.Output<string>;

  constructor(name: string, a: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super('dhakacart:platform:Registry', name, {}, opts);
    this.ref = { project: a.registryProject, location: a.location, repositoryId: REPOSITORY_ID };
    if (a.registryProject === a.project) {
      this.repository = new artifactregistry.Repository(
        name,
        {
          repositoryId: REPOSITORY_ID,
          location: a.location,
          format: 'DOCKER',
          description: 'DhakaCart images (api, web), multi-region',
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
        { parent: this, protect: true },
      );
    }
    this.url = pulumi.output(`${a.location}-docker.pkg.dev/${a.registryProject}/${REPOSITORY_ID}`);
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

export interface LogBucketsArgs {
  project: string;
  /** A multi-region (ASIA, EU, US): Google keeps the objects in two or more regions. */
  location: string;
  retentionDays: number;
}

/**
 * Loki's object storage: chunks and ruler in separate buckets, as the Loki chart asks. Loki's
 * compactor applies the retention; a lifecycle rule one day later is the backstop should the
 * compactor stop. Versioned like every bucket here, with replaced objects gone after a day.
 */
export class LogBuckets extends pulumi.ComponentResource {
  readonly chunks: storage.Bucket;
  readonly ruler: storage.Bucket;

  constructor(name: string, a: LogBucketsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('dhakacart:platform:LogBuckets', name, {}, opts);
    const bucket = (id: 'chunks' | 'ruler') =>
      new storage.Bucket(
        `${name}-${id}`,
        {
          name: `${a.project}-logs-${id}`,
          location: a.location,
          storageClass: 'STANDARD',
          uniformBucketLevelAccess: true,
          publicAccessPrevention: 'enforced',
          forceDestroy: false,
          versioning: { enabled: true },
          softDeletePolicy: { retentionDurationSeconds: 7 * 86400 },
          lifecycleRules: [
            { action: { type: 'Delete' }, condition: { age: a.retentionDays + 1 } },
            {
              action: { type: 'Delete' },
              condition: { daysSinceNoncurrentTime: 1, withState: 'ARCHIVED' },
            },
          ],
          labels: { app: 'dhakacart', purpose: `loki-${id}` },
        },
        { parent: this },
      );
    this.chunks = bucket('chunks');
    this.ruler = bucket('ruler');
    this.registerOutputs({ chunks: this.chunks.name, ruler: this.ruler.name });
  }
}
