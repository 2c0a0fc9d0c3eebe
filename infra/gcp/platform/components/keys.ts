// Cloud KMS keys of the platform, all in the stack's own region (a second region has its own):
// - the key GKE encrypts Kubernetes Secrets with in etcd (application-layer Secrets
//   encryption, CIS GKE), usable by the GKE service agent only;
// - the asymmetric key CI signs Binary Authorization attestations with.
// Key rings and keys cannot be deleted in Cloud KMS, so both are protected.
import * as pulumi from '@pulumi/pulumi';
import * as kms from '@pulumi/gcp/kms';

export interface KeysArgs {
  prefix: string;
  region: string;
  projectNumber: pulumi.Input<string>;
  rotationDays: number;
  /** An existing key (same region, checked by the config schema) instead of creating one. */
  existingKey?: string;
}

export class PlatformKeys extends pulumi.ComponentResource {
  readonly keyRing: kms.KeyRing;
  /** Full resource id of the Secrets encryption key (projects/../cryptoKeys/..). */
  readonly secretsKeyId: pulumi.Output<string>;
  /** The GKE service agent's right to use the key: the cluster must wait for it. */
  readonly secretsKeyAccess: kms.CryptoKeyIAMMember;
  readonly attestationKey: kms.CryptoKey;

  constructor(name: string, a: KeysArgs, opts?: pulumi.ComponentResourceOptions) {
    super('dhakacart:platform:Keys', name, {}, opts);
    const p = { parent: this };
    this.keyRing = new kms.KeyRing(
      `${name}-ring`,
      { name: `${a.prefix}-keys`, location: a.region },
      { ...p, protect: true },
    );

    if (a.existingKey) {
      this.secretsKeyId = pulumi.output(a.existingKey);
    } else {
      const key = new kms.CryptoKey(
        `${name}-gke-secrets`,
        {
          name: 'gke-secrets',
          keyRing: this.keyRing.id,
          purpose: 'ENCRYPT_DECRYPT',
          rotationPeriod: `${a.rotationDays * 86400}s`,
          labels: { app: 'dhakacart', purpose: 'gke-secrets' },
        },
        { ...p, protect: true },
      );
      this.secretsKeyId = key.id;
    }
    this.secretsKeyAccess = new kms.CryptoKeyIAMMember(
      `${name}-gke-secrets-agent`,
      {
        cryptoKeyId: this.secretsKeyId,
        role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
        member: pulumi.interpolate`serviceAccount:service-${a.projectNumber}@container-engine-robot.iam.gserviceaccount.com`,
      },
      p,
    );

    this.attestationKey = new kms.CryptoKey(
      `${name}-attestor`,
      {
        name: 'release-attestor',
        keyRing: this.keyRing.id,
        purpose: 'ASYMMETRIC_SIGN',
        versionTemplate: { algorithm: 'EC_SIGN_P256_SHA256' },
        labels: { app: 'dhakacart', purpose: 'binauthz-attestor' },
      },
      { ...p, protect: true },
    );
    this.registerOutputs({ secretsKeyId: this.secretsKeyId });
  }
}
