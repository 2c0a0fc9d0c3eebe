// Least-privilege Google identities. External Secrets may read only the three app secrets;
// Velero may use only its bucket and disk snapshots; CI authenticates from GitHub Actions via
// Workload Identity Federation (no key files) and may push images and deploy to the cluster.
import * as pulumi from '@pulumi/pulumi';
import * as serviceaccount from '@pulumi/gcp/serviceaccount';
import * as secretmanager from '@pulumi/gcp/secretmanager';
import * as storage from '@pulumi/gcp/storage';
import * as projects from '@pulumi/gcp/projects';
import * as iam from '@pulumi/gcp/iam';
import * as artifactregistry from '@pulumi/gcp/artifactregistry';

export interface IdentitiesArgs {
  prefix: string;
  project: string;
  region: string;
  workloadPool: string;
  secrets: secretmanager.Secret[];
  veleroBucket: storage.Bucket;
  registry: artifactregistry.Repository;
  nodeServiceAccountEmail: pulumi.Input<string>;
  githubRepository: string;
  githubRef: string;
}

/** Kubernetes service accounts that impersonate Google ones (namespace/name). */
export const KSA = {
  externalSecrets: { namespace: 'external-secrets', name: 'external-secrets' },
  velero: { namespace: 'velero', name: 'velero' },
} as const;

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
          member: `serviceAccount:${a.workloadPool}[${ksa.namespace}/${ksa.name}]`,
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

    // Nodes pull images from our repository only.
    new artifactregistry.RepositoryIamMember(
      `${name}-nodes-pull`,
      {
        repository: a.registry.name,
        location: a.region,
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
        attributeCondition: `assertion.repository == '${a.githubRepository}' && assertion.ref == '${a.githubRef}'`,
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
    new artifactregistry.RepositoryIamMember(
      `${name}-ci-push`,
      {
        repository: a.registry.name,
        location: a.region,
        role: 'roles/artifactregistry.writer',
        member: member(this.ci),
      },
      p,
    );
    new projects.IAMMember(
      `${name}-ci-deploy`,
      { project: a.project, role: 'roles/container.developer', member: member(this.ci) },
      p,
    );

    this.registerOutputs({});
  }
}
