// Least-privilege Google identities. External Secrets may read only the app's and the
// alerting's secrets; Velero may use only its bucket and disk snapshots; CI authenticates from
// GitHub Actions via Workload Identity Federation (no key files), from the main branch or a
// release tag only, and may push images, attest them and deploy through Connect Gateway.
import * as pulumi from '@pulumi/pulumi';
import * as serviceaccount from '@pulumi/gcp/serviceaccount';
import * as secretmanager from '@pulumi/gcp/secretmanager';
import * as storage from '@pulumi/gcp/storage';
import * as projects from '@pulumi/gcp/projects';
import * as iam from '@pulumi/gcp/iam';
import * as artifactregistry from '@pulumi/gcp/artifactregistry';
import * as kms from '@pulumi/gcp/kms';
import * as binaryauthorization from '@pulumi/gcp/binaryauthorization';
import * as containeranalysis from '@pulumi/gcp/containeranalysis';
import type { RepositoryRef } from './storage';

export interface IdentitiesArgs {
  prefix: string;
  project: string;
  region: string;
  /** The cluster's Workload Identity pool, read from the cluster (it exists only once GKE made it). */
  workloadPool: pulumi.Input<string>;
  secrets: secretmanager.Secret[];
  veleroBucket: storage.Bucket;
  /** Loki's chunk and ruler buckets. */
  logBuckets: storage.Bucket[];
  /** The Cloud SQL instance the drill clones from, and the instance name prefix of its clones. */
  cloudSqlInstance: pulumi.Input<string>;
  registry: RepositoryRef;
  /** False when the repository belongs to another stack: CI pushes there, not through this one. */
  ownsRegistry: boolean;
  nodeServiceAccountEmail: pulumi.Input<string>;
  githubRepository: string;
  githubRefs: string[];
  attestation: {
    attestor: binaryauthorization.Attestor;
    note: containeranalysis.Note;
    signingKey: kms.CryptoKey;
  };
}

/** CEL for "the token's ref is one of these" (`refs/tags/v*` is a prefix match). */
export function refCondition(refs: string[]): string {
  return refs
    .map((r) =>
      r.endsWith('*') ? `assertion.ref.startsWith('${r.slice(0, -1)}')` : `assertion.ref == '${r}'`,
    )
    .join(' || ');
}

/** The provider's attribute condition: one repository, and only the refs that may deploy. */
export function githubAttributeCondition(repository: string, refs: string[]): string {
  return `assertion.repository == '${repository}' && (${refCondition(refs)})`;
}

/** Kubernetes service accounts that impersonate Google ones (namespace/name). */
export const KSA = {
  externalSecrets: { namespace: 'external-secrets', name: 'external-secrets' },
  velero: { namespace: 'velero', name: 'velero' },
  /** Chaos Mesh starts Workflow Task pods with their namespace's default account. */
  chaos: { namespace: 'chaos-experiments', name: 'default' },
  /** The weekly point-in-time clone drill (a CronJob in the app namespace). */
  dbDrill: { namespace: 'dhakacart', name: 'db-drill' },
  loki: { namespace: 'logging', name: 'loki' },
} as const;

/** Exactly what the game day's failover tasks do: fail the two instances over, watch the result. */
export const CHAOS_FAILOVER_PERMISSIONS = [
  'cloudsql.instances.failover',
  'cloudsql.instances.get',
  'redis.instances.failover',
  'redis.instances.get',
  'redis.operations.get',
];

/** The clone drill on the live instance: read it and clone it (a clone never writes the source). */
export const DB_DRILL_SOURCE_PERMISSIONS = [
  'cloudsql.instances.clone',
  'cloudsql.instances.get',
  'cloudsql.instances.list',
];

/** On its own clones only (an IAM condition on the name prefix): create, unprotect, delete. */
export const DB_DRILL_CLONE_PERMISSIONS = [
  'cloudsql.instances.create',
  'cloudsql.instances.get',
  'cloudsql.instances.update',
  'cloudsql.instances.delete',
];

/** Every drill clone is named `<source>-drill-<UTC stamp>`. */
export const drillClonePrefix = (source: string) => `${source}-drill-`;

const VELERO_PERMISSIONS = [
  'compute.disks.get',
  'compute.disks.create',
  'compute.disks.createSnapshot',
  'compute.projects.get',
  'compute.snapshots.get',
  'compute.snapshots.create',
  'compute.snapshots.useReadOnly',
  'compute.snapshots.delete',
  'compute.zones.get',
  'storage.objects.create',
  'storage.objects.delete',
  'storage.objects.get',
  'storage.objects.list',
  'iam.serviceAccounts.signBlob',
];

export class Identities extends pulumi.ComponentResource {
  readonly externalSecrets: serviceaccount.Account;
  readonly velero: serviceaccount.Account;
  readonly ci: serviceaccount.Account;
  readonly chaos: serviceaccount.Account;
  readonly dbDrill: serviceaccount.Account;
  readonly loki: serviceaccount.Account;
  readonly githubProvider: iam.WorkloadIdentityPoolProvider;

  constructor(name: string, a: IdentitiesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('dhakacart:platform:Identities', name, {}, opts);
    const p = { parent: this };
    const member = (sa: serviceaccount.Account) => pulumi.interpolate`serviceAccount:${sa.email}`;
    const bindKsa = (
      id: string,
      sa: serviceaccount.Account,
      ksa: { namespace: string; name: string },
    ) =>
      new serviceaccount.IAMMember(
        `${name}-${id}-wi`,
        {
          serviceAccountId: sa.name,
          role: 'roles/iam.workloadIdentityUser',
          member: pulumi.interpolate`serviceAccount:${a.workloadPool}[${ksa.namespace}/${ksa.name}]`,
        },
        p,
      );

    // External Secrets Operator: accessor on exactly the app's secrets, nothing project-wide.
    this.externalSecrets = new serviceaccount.Account(
      `${name}-eso`,
      { accountId: `${a.prefix}-eso`.slice(0, 30), displayName: 'External Secrets Operator' },
      p,
    );
    a.secrets.forEach(
      (secret, i) =>
        new secretmanager.SecretIamMember(
          `${name}-eso-secret-${i}`,
          {
            secretId: secret.id,
            role: 'roles/secretmanager.secretAccessor',
            member: member(this.externalSecrets),
          },
          p,
        ),
    );
    bindKsa('eso', this.externalSecrets, KSA.externalSecrets);

    // Velero: a custom role with the plugin's documented permissions, bucket access on its bucket.
    this.velero = new serviceaccount.Account(
      `${name}-velero`,
      { accountId: `${a.prefix}-velero`.slice(0, 30), displayName: 'Velero' },
      p,
    );
    const veleroRole = new projects.IAMCustomRole(
      `${name}-velero-role`,
      {
        roleId: `${a.prefix.replace(/-/g, '_')}_velero`,
        title: 'Velero (DhakaCart)',
        permissions: VELERO_PERMISSIONS,
        project: a.project,
      },
      p,
    );
    new projects.IAMMember(
      `${name}-velero-role-member`,
      { project: a.project, role: veleroRole.name, member: member(this.velero) },
      p,
    );
    new storage.BucketIAMMember(
      `${name}-velero-bucket`,
      {
        bucket: a.veleroBucket.name,
        role: 'roles/storage.objectAdmin',
        member: member(this.velero),
      },
      p,
    );
    bindKsa('velero', this.velero, KSA.velero);

    // Game day: the failover tasks' identity, with a custom role of exactly the failover calls.
    this.chaos = new serviceaccount.Account(
      `${name}-chaos`,
      { accountId: `${a.prefix}-chaos`.slice(0, 30), displayName: 'Chaos Mesh failover tasks' },
      p,
    );
    const customRole = (id: string, title: string, permissions: string[]) =>
      new projects.IAMCustomRole(
        `${name}-${id}-role`,
        {
          roleId: `${a.prefix.replace(/-/g, '_')}_${id.replace(/-/g, '_')}`,
          title,
          permissions,
          project: a.project,
        },
        p,
      );
    const chaosRole = customRole('chaos-failover', 'Game-day failovers (DhakaCart)', [
      ...CHAOS_FAILOVER_PERMISSIONS,
    ]);
    new projects.IAMMember(
      `${name}-chaos-role-member`,
      { project: a.project, role: chaosRole.name, member: member(this.chaos) },
      p,
    );
    bindKsa('chaos', this.chaos, KSA.chaos);

    // Restore drill: clone the live instance to a point in time; touch only its own clones.
    this.dbDrill = new serviceaccount.Account(
      `${name}-db-drill`,
      { accountId: `${a.prefix}-db-drill`.slice(0, 30), displayName: 'Point-in-time clone drill' },
      p,
    );
    const drillSource = customRole('db-drill-source', 'Clone drill: source (DhakaCart)', [
      ...DB_DRILL_SOURCE_PERMISSIONS,
    ]);
    const drillClones = customRole('db-drill-clones', 'Clone drill: its clones (DhakaCart)', [
      ...DB_DRILL_CLONE_PERMISSIONS,
    ]);
    new projects.IAMMember(
      `${name}-db-drill-source-member`,
      { project: a.project, role: drillSource.name, member: member(this.dbDrill) },
      p,
    );
    new projects.IAMMember(
      `${name}-db-drill-clones-member`,
      {
        project: a.project,
        role: drillClones.name,
        member: member(this.dbDrill),
        condition: {
          title: 'drill clones only',
          description: 'Instances named <source>-drill-*: never the live database',
          expression: pulumi.interpolate`resource.name.startsWith("projects/${a.project}/instances/${pulumi
            .output(a.cloudSqlInstance)
            .apply(drillClonePrefix)}")`,
        },
      },
      p,
    );
    bindKsa('db-drill', this.dbDrill, KSA.dbDrill);

    // Loki: objects in its two buckets, nothing else.
    this.loki = new serviceaccount.Account(
      `${name}-loki`,
      { accountId: `${a.prefix}-loki`.slice(0, 30), displayName: 'Loki (log storage)' },
      p,
    );
    a.logBuckets.forEach(
      (b, i) =>
        new storage.BucketIAMMember(
          `${name}-loki-bucket-${i}`,
          { bucket: b.name, role: 'roles/storage.objectAdmin', member: member(this.loki) },
          p,
        ),
    );
    bindKsa('loki', this.loki, KSA.loki);

    // Nodes pull images from our repository only.
    new artifactregistry.RepositoryIamMember(
      `${name}-nodes-pull`,
      {
        project: a.registry.project,
        repository: a.registry.repositoryId,
        location: a.registry.location,
        role: 'roles/artifactregistry.reader',
        member: pulumi.interpolate`serviceAccount:${a.nodeServiceAccountEmail}`,
      },
      p,
    );

    // CI: GitHub Actions OIDC -> this service account, for one repository and ref only.
    const pool = new iam.WorkloadIdentityPool(
      `${name}-github`,
      { workloadIdentityPoolId: `${a.prefix}-github`.slice(0, 32), displayName: 'GitHub Actions' },
      p,
    );
    this.githubProvider = new iam.WorkloadIdentityPoolProvider(
      `${name}-github-oidc`,
      {
        workloadIdentityPoolId: pool.workloadIdentityPoolId,
        workloadIdentityPoolProviderId: 'github-actions',
        oidc: { issuerUri: 'https://token.actions.githubusercontent.com' },
        attributeMapping: {
          'google.subject': 'assertion.sub',
          'attribute.repository': 'assertion.repository',
          'attribute.ref': 'assertion.ref',
        },
        attributeCondition: githubAttributeCondition(a.githubRepository, a.githubRefs),
      },
      p,
    );
    this.ci = new serviceaccount.Account(
      `${name}-ci`,
      { accountId: `${a.prefix}-ci`.slice(0, 30), displayName: 'CI (GitHub Actions via WIF)' },
      p,
    );
    new serviceaccount.IAMMember(
      `${name}-ci-wif`,
      {
        serviceAccountId: this.ci.name,
        role: 'roles/iam.workloadIdentityUser',
        member: pulumi.interpolate`principalSet://iam.googleapis.com/${pool.name}/attribute.repository/${a.githubRepository}`,
      },
      p,
    );
    if (a.ownsRegistry)
      new artifactregistry.RepositoryIamMember(
        `${name}-ci-push`,
        {
          project: a.registry.project,
          repository: a.registry.repositoryId,
          location: a.registry.location,
          role: 'roles/artifactregistry.writer',
          member: member(this.ci),
        },
        p,
      );
    // Deploy: Kubernetes rights through GKE IAM, reached through Connect Gateway (the control
    // plane has no public endpoint).
    const ciRoles: [string, string][] = [
      ['deploy', 'roles/container.developer'],
      ['gateway', 'roles/gkehub.gatewayEditor'],
      ['fleet-viewer', 'roles/gkehub.viewer'],
      // Attestations are occurrences of the attestor's note.
      ['occurrences', 'roles/containeranalysis.occurrences.editor'],
    ];
    for (const [id, role] of ciRoles)
      new projects.IAMMember(
        `${name}-ci-${id}`,
        { project: a.project, role, member: member(this.ci) },
        p,
      );
    // Attest: sign with the attestor's key, attach to its note, read the attestor.
    new kms.CryptoKeyIAMMember(
      `${name}-ci-sign`,
      {
        cryptoKeyId: a.attestation.signingKey.id,
        role: 'roles/cloudkms.signerVerifier',
        member: member(this.ci),
      },
      p,
    );
    new containeranalysis.NoteIamMember(
      `${name}-ci-note`,
      {
        note: a.attestation.note.name,
        role: 'roles/containeranalysis.notes.attacher',
        member: member(this.ci),
      },
      p,
    );
    new binaryauthorization.AttestorIamMember(
      `${name}-ci-attestor`,
      {
        attestor: a.attestation.attestor.name,
        role: 'roles/binaryauthorization.attestorsViewer',
        member: member(this.ci),
      },
      p,
    );

    this.registerOutputs({});
  }
}
