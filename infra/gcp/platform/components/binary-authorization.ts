// Binary Authorization: the project's policy requires an attestation by the release attestor
// (CI signs the digest it built with the KMS key in PlatformKeys). Until CI attests every image,
// the policy runs in dry-run: violations are written to Cloud Audit Logs and nothing is blocked.
// `binaryAuthorization.enforcement: enforce` in the stack config switches it to blocking.
import * as pulumi from '@pulumi/pulumi';
import * as kms from '@pulumi/gcp/kms';
import * as binaryauthorization from '@pulumi/gcp/binaryauthorization';
import * as containeranalysis from '@pulumi/gcp/containeranalysis';

export type BinAuthzEnforcement = 'dry-run' | 'enforce';

export const ENFORCEMENT_MODE: Record<BinAuthzEnforcement, string> = {
  'dry-run': 'DRYRUN_AUDIT_LOG_ONLY',
  enforce: 'ENFORCED_BLOCK_AND_AUDIT_LOG',
};

/**
 * Images the release pipeline does not build: the pinned add-on charts' upstream images. They
 * are exempt from attestation (the chart pins are the review); dry-run's audit log lists any
 * image missing here before `enforce` is switched on.
 */
export const ADDON_IMAGE_PATTERNS = [
  'quay.io/prometheus/*',
  'quay.io/prometheus-operator/*',
  'quay.io/kiwigrid/*',
  'registry.k8s.io/*',
  'docker.io/grafana/*',
  'docker.io/nginxinc/*',
  'ghcr.io/chaos-mesh/*',
  'docker.io/velero/*',
  'ghcr.io/grafana/*',
  'oci.external-secrets.io/*',
  'ghcr.io/external-secrets/*',
];

export interface BinaryAuthorizationArgs {
  prefix: string;
  project: string;
  enforcement: BinAuthzEnforcement;
  signingKey: kms.CryptoKey;
}

export class BinaryAuthorization extends pulumi.ComponentResource {
  readonly note: containeranalysis.Note;
  readonly attestor: binaryauthorization.Attestor;
  readonly policy: binaryauthorization.Policy;
  /** The key version CI signs with (`gcloud beta container binauthz attestations sign-and-create`). */
  readonly signingKeyVersion: pulumi.Output<string>;

  constructor(name: string, a: BinaryAuthorizationArgs, opts?: pulumi.ComponentResourceOptions) {
    super('dhakacart:platform:BinaryAuthorization', name, {}, opts);
    const p = { parent: this };
    this.note = new containeranalysis.Note(
      `${name}-note`,
      {
        name: `${a.prefix}-release`,
        attestationAuthority: { hint: { humanReadableName: 'DhakaCart release pipeline' } },
      },
      p,
    );
    const version = kms.getKMSCryptoKeyVersionOutput({ cryptoKey: a.signingKey.id }, p);
    this.signingKeyVersion = version.id;
    this.attestor = new binaryauthorization.Attestor(
      `${name}-attestor`,
      {
        name: `${a.prefix}-release`,
        description: 'Images built, scanned and signed by the DhakaCart release pipeline',
        attestationAuthorityNote: {
          noteReference: this.note.name,
          publicKeys: [
            {
              id: version.id,
              pkixPublicKey: {
                publicKeyPem: version.publicKeys.apply((k) => k[0]!.pem),
                signatureAlgorithm: version.publicKeys.apply((k) => k[0]!.algorithm),
              },
            },
          ],
        },
      },
      p,
    );
    this.policy = new binaryauthorization.Policy(
      `${name}-policy`,
      {
        project: a.project,
        description: `DhakaCart: release attestation required (${a.enforcement})`,
        // Google-maintained system images (GKE's own) are always allowed.
        globalPolicyEvaluationMode: 'ENABLE',
        admissionWhitelistPatterns: ADDON_IMAGE_PATTERNS.map((namePattern) => ({ namePattern })),
        defaultAdmissionRule: {
          evaluationMode: 'REQUIRE_ATTESTATION',
          enforcementMode: ENFORCEMENT_MODE[a.enforcement],
          requireAttestationsBies: [this.attestor.id],
        },
      },
      p,
    );
    this.registerOutputs({ attestor: this.attestor.id });
  }
}
