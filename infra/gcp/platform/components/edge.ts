// The edge pieces the GKE Gateway refers to by name: a global static IP, a Google-managed
// certificate (Certificate Manager, DNS-authorised so it is issued before traffic moves),
// an SSL policy of TLS 1.2+ and a Cloud Armor policy with OWASP rules and per-IP rate limits.
import * as pulumi from '@pulumi/pulumi';
import * as compute from '@pulumi/gcp/compute';
import * as certificatemanager from '@pulumi/gcp/certificatemanager';

export interface EdgeArgs {
  prefix: string;
  domain: string;
  rateLimitPerMinute: number;
  banDurationSec: number;
  /**
   * The cluster's own Cloud NAT addresses: the k6 runners reach the store through them, far
   * above any customer's rate. They pass the WAF rules like everyone, then skip the ban.
   */
  ownEgressAddresses: pulumi.Input<pulumi.Input<string>[]>;
}

/** Priority of the own-egress exemption: after every WAF rule, before the rate-limit ban. */
export const OWN_EGRESS_PRIORITY = 1900;
export const RATE_LIMIT_PRIORITY = 2000;

/** Cloud Armor preconfigured WAF rule sets (ModSecurity CRS 3.3), all enforced. */
export const OWASP_RULES = [
  'sqli-v33-stable',
  'xss-v33-stable',
  'lfi-v33-stable',
  'rfi-v33-stable',
  'rce-v33-stable',
  'methodenforcement-v33-stable',
  'scannerdetection-v33-stable',
  'protocolattack-v33-stable',
  'sessionfixation-v33-stable',
] as const;

export class Edge extends pulumi.ComponentResource {
  readonly address: compute.GlobalAddress;
  readonly sslPolicy: compute.SSLPolicy;
  readonly securityPolicy: compute.SecurityPolicy;
  readonly certificateMap: certificatemanager.CertificateMap;
  readonly dnsAuthorization: certificatemanager.DnsAuthorization;

  constructor(name: string, a: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super('dhakacart:platform:Edge', name, {}, opts);
    const p = { parent: this };

    this.address = new compute.GlobalAddress(
      `${name}-ip`,
      { name: `${a.prefix}-lb-ip`, addressType: 'EXTERNAL', ipVersion: 'IPV4' },
      p,
    );
    this.sslPolicy = new compute.SSLPolicy(
      `${name}-tls`,
      { name: `${a.prefix}-tls12`, minTlsVersion: 'TLS_1_2', profile: 'MODERN' },
      p,
    );

    this.dnsAuthorization = new certificatemanager.DnsAuthorization(
      `${name}-dns-auth`,
      { name: `${a.prefix}-dns-auth`, domain: a.domain },
      p,
    );
    const certificate = new certificatemanager.Certificate(
      `${name}-cert`,
      {
        name: `${a.prefix}-cert`,
        managed: { domains: [a.domain], dnsAuthorizations: [this.dnsAuthorization.id] },
      },
      p,
    );
    this.certificateMap = new certificatemanager.CertificateMap(
      `${name}-certmap`,
      { name: `${a.prefix}-certmap` },
      p,
    );
    new certificatemanager.CertificateMapEntry(
      `${name}-certmap-entry`,
      {
        name: `${a.prefix}-apex`,
        map: this.certificateMap.name,
        hostname: a.domain,
        certificates: [certificate.id],
      },
      p,
    );

    const everyone = { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } };
    this.securityPolicy = new compute.SecurityPolicy(
      `${name}-armor`,
      {
        name: `${a.prefix}-armor`,
        type: 'CLOUD_ARMOR',
        description: 'DhakaCart edge: OWASP CRS 3.3 and per-client rate limiting',
        adaptiveProtectionConfig: { layer7DdosDefenseConfig: { enable: true } },
        advancedOptionsConfig: { jsonParsing: 'STANDARD', logLevel: 'NORMAL' },
        rules: [
          ...OWASP_RULES.map((rule, i) => ({
            priority: 1000 + i * 10,
            action: 'deny(403)',
            description: `OWASP ${rule}`,
            match: {
              expr: { expression: `evaluatePreconfiguredWaf('${rule}', {'sensitivity': 1})` },
            },
          })),
          {
            priority: OWN_EGRESS_PRIORITY,
            action: 'allow',
            description: "the cluster's own Cloud NAT egress (k6 load tests): never rate-limited",
            match: {
              versionedExpr: 'SRC_IPS_V1',
              config: {
                srcIpRanges: pulumi
                  .output(a.ownEgressAddresses)
                  .apply((ips) => ips.map((ip) => `${ip}/32`)),
              },
            },
          },
          {
            priority: RATE_LIMIT_PRIORITY,
            action: 'rate_based_ban',
            description: `per-IP rate limit: ${a.rateLimitPerMinute}/min, then ban ${a.banDurationSec}s`,
            match: everyone,
            rateLimitOptions: {
              conformAction: 'allow',
              exceedAction: 'deny(429)',
              enforceOnKey: 'IP',
              rateLimitThreshold: { count: a.rateLimitPerMinute, intervalSec: 60 },
              banThreshold: { count: a.rateLimitPerMinute * 3, intervalSec: 300 },
              banDurationSec: a.banDurationSec,
            },
          },
          {
            priority: 2147483647,
            action: 'allow',
            description: 'default: allow what the rules above let through',
            match: everyone,
          },
        ],
      },
      p,
    );
    this.registerOutputs({ address: this.address.address });
  }
}
