// Wires the platform components together and returns what the workloads stack needs.
import * as pulumi from '@pulumi/pulumi';
import * as organizations from '@pulumi/gcp/organizations';
import type { PlatformConfig } from './config-schema';
import { Network } from './components/network';
import { GkeCluster } from './components/cluster';
import { Database } from './components/database';
import { Redis } from './components/redis';
import { AppSecrets } from './components/secrets';
import { Identities, KSA } from './components/identities';
import { Edge } from './components/edge';
import { BackupBucket, LogBuckets, Registry } from './components/storage';
import { ProjectServices } from './components/services';
import { PlatformKeys } from './components/keys';
import { BinaryAuthorization } from './components/binary-authorization';

export const APP_PORTS = { api: 3000, web: 8080 } as const;
export const POSTGRES_PORT = 5432;
/** Memorystore with in-transit encryption listens on 6378. */
export const REDIS_TLS_PORT = 6378;
export const DATABASE = { name: 'dhakacart', user: 'dhakacart_app' } as const;

export function createPlatform(cfg: PlatformConfig) {
  const prefix = `dhakacart-${cfg.environment}`;
  const apis = new ProjectServices('apis', { project: cfg.project });
  const after = { dependsOn: apis.services };
  const projectNumber = organizations
    .getProjectOutput({ projectId: cfg.project })
    .apply((p) => p.number);

  const network = new Network(
    'network',
    {
      prefix,
      region: cfg.region,
      ...cfg.network,
      podServingPorts: [APP_PORTS.api, APP_PORTS.web],
      dataPorts: [POSTGRES_PORT, REDIS_TLS_PORT],
      nat: cfg.nat,
    },
    after,
  );

  // The region's own keys: a second region's stack creates its own (docs/gcp/disaster-recovery.md).
  const keys = new PlatformKeys(
    'keys',
    {
      prefix,
      region: cfg.region,
      projectNumber,
      rotationDays: cfg.kms.rotationDays,
      existingKey: cfg.kms.existingKey,
    },
    after,
  );

  const gke = new GkeCluster(
    'gke',
    {
      prefix,
      project: cfg.project,
      region: cfg.region,
      zones: cfg.zones,
      network: network.vpc.id,
      subnetwork: network.subnet.id,
      podsRangeName: network.podsRangeName,
      servicesRangeName: network.servicesRangeName,
      controlPlaneCidr: cfg.network.controlPlaneCidr,
      controlPlaneAuthorizedCidrs: cfg.network.controlPlaneAuthorizedCidrs,
      controlPlanePublicEndpoint: cfg.network.controlPlanePublicEndpoint,
      secretsKeyId: keys.secretsKeyId,
      projectNumber,
      ...cfg.cluster,
    },
    // GKE checks at creation that its service agent may use the Secrets key.
    { dependsOn: [...apis.services, keys.secretsKeyAccess] },
  );
  const binauthz = new BinaryAuthorization(
    'binauthz',
    {
      prefix,
      project: cfg.project,
      enforcement: cfg.binaryAuthorization.enforcement,
      signingKey: keys.attestationKey,
    },
    after,
  );

  const secrets = new AppSecrets('secrets', { prefix, region: cfg.region }, after);

  const dataDeps = { dependsOn: [...apis.services, network.privateServicesConnection] };
  const db = new Database(
    'postgres',
    {
      prefix,
      region: cfg.region,
      network: network.vpc.id,
      allocatedIpRange: network.privateServicesRange.name,
      ...cfg.database,
      databaseName: DATABASE.name,
      userName: DATABASE.user,
      password: secrets.dbPassword,
    },
    dataDeps,
  );
  const cache = new Redis(
    'redis',
    {
      prefix,
      region: cfg.region,
      zones: cfg.zones,
      network: network.vpc.id,
      reservedIpRange: network.privateServicesRange.name,
      ...cfg.redis,
    },
    dataDeps,
  );
  // Memorystore generates the AUTH string; it goes to Secret Manager like the others.
  secrets.version('secrets-redis-auth', secrets.redisAuthSecret, cache.instance.authString);

  const registry = new Registry(
    'registry',
    {
      prefix,
      project: cfg.project,
      location: cfg.registry.location,
      registryProject: cfg.registry.project ?? cfg.project,
    },
    after,
  );
  const backups = new BackupBucket(
    'velero-bucket',
    {
      prefix,
      project: cfg.project,
      location: cfg.backups.bucketLocation,
      noncurrentVersionDays: cfg.backups.noncurrentVersionDays,
      softDeleteDays: cfg.backups.softDeleteDays,
    },
    after,
  );
  const logBuckets = new LogBuckets(
    'log-buckets',
    {
      project: cfg.project,
      location: cfg.logs.bucketLocation,
      retentionDays: cfg.logs.retentionDays,
    },
    after,
  );
  const identities = new Identities(
    'identities',
    {
      prefix,
      project: cfg.project,
      region: cfg.region,
      // Read from the cluster: the bindings wait for GKE to create the identity pool.
      workloadPool: gke.workloadPool,
      secrets: [
        secrets.dbPasswordSecret,
        secrets.redisAuthSecret,
        secrets.sessionKeySecret,
        ...Object.values(secrets.alerting),
      ],
      veleroBucket: backups.bucket,
      logBuckets: [logBuckets.chunks, logBuckets.ruler],
      cloudSqlInstance: db.instance.name,
      registry: registry.ref,
      ownsRegistry: registry.repository !== undefined,
      nodeServiceAccountEmail: gke.nodeServiceAccount.email,
      githubRepository: cfg.ci.githubRepository,
      githubRefs: cfg.ci.githubRefs,
      attestation: {
        attestor: binauthz.attestor,
        note: binauthz.note,
        signingKey: keys.attestationKey,
      },
    },
    after,
  );
  const edge = new Edge(
    'edge',
    {
      prefix,
      domain: cfg.edge.domain,
      rateLimitPerMinute: cfg.edge.rateLimitPerMinute,
      banDurationSec: cfg.edge.banDurationSec,
      ownEgressAddresses: network.natAddresses,
    },
    after,
  );

  const serverCa = (certs: pulumi.Output<{ cert: string }[] | undefined>) =>
    certs.apply((c) => (c ?? []).map((x) => x.cert).join('\n'));

  return {
    projectId: pulumi.output(cfg.project),
    region: pulumi.output(cfg.region),
    environment: pulumi.output(cfg.environment),
    domain: pulumi.output(cfg.edge.domain),
    cluster: {
      name: gke.cluster.name,
      location: gke.cluster.location,
      endpoint: gke.cluster.endpoint,
      caCertificate: gke.cluster.masterAuth.clusterCaCertificate,
      /** How CI, operators and the workloads stack reach the private control plane. */
      gatewayUrl: gke.gatewayUrl,
    },
    network: {
      nodesCidr: pulumi.output(cfg.network.nodesCidr),
      controlPlaneCidr: pulumi.output(cfg.network.controlPlaneCidr),
      smtpRelayCidrs: pulumi.output(cfg.network.smtpRelayCidrs),
    },
    /** The peak TestRun's runners and the most nodes the load-test pool can grow to. */
    loadtest: {
      runners: pulumi.output(cfg.cluster.loadtest.runners),
      vusPerRunner: pulumi.output(cfg.cluster.loadtest.vusPerRunner),
      poolMaxNodes: pulumi.output(cfg.cluster.loadtest.maxNodesPerZone * cfg.zones.length),
    },
    zones: pulumi.output(cfg.zones),
    natAddresses: network.natAddresses,
    database: {
      instance: db.instance.name,
      host: db.instance.privateIpAddress,
      port: pulumi.output(POSTGRES_PORT),
      name: db.database.name,
      user: db.user.name,
      serverCa: serverCa(db.instance.serverCaCerts),
    },
    redis: {
      instance: cache.instance.name,
      host: cache.instance.host,
      port: cache.instance.port,
      serverCa: serverCa(cache.instance.serverCaCerts),
    },
    dataTierCidr: pulumi.output(cfg.network.privateServicesCidr),
    secretIds: {
      dbPassword: secrets.dbPasswordSecret.secretId,
      redisAuth: secrets.redisAuthSecret.secretId,
      sessionKey: secrets.sessionKeySecret.secretId,
      alerting: {
        slackWebhookUrl: secrets.alerting.slackWebhookUrl.secretId,
        smsToken: secrets.alerting.smsToken.secretId,
        smtpPassword: secrets.alerting.smtpPassword.secretId,
      },
    },
    gateway: {
      staticAddressName: edge.address.name,
      staticAddress: edge.address.address,
      certificateMapName: edge.certificateMap.name,
      sslPolicyName: edge.sslPolicy.name,
      securityPolicyName: edge.securityPolicy.name,
      dnsAuthorizationRecord: edge.dnsAuthorization.dnsResourceRecords.apply((r) => r[0]),
    },
    serviceAccounts: {
      externalSecrets: identities.externalSecrets.email,
      velero: identities.velero.email,
      ci: identities.ci.email,
      chaos: identities.chaos.email,
      dbDrill: identities.dbDrill.email,
      loki: identities.loki.email,
      ksa: KSA,
    },
    ciWorkloadIdentityProvider: identities.githubProvider.name,
    veleroBucket: backups.bucket.name,
    logs: {
      chunksBucket: logBuckets.chunks.name,
      rulerBucket: logBuckets.ruler.name,
      retentionDays: pulumi.output(cfg.logs.retentionDays),
    },
    registryUrl: registry.url,
    /** For CI's attestation step (release pipeline). */
    binaryAuthorization: {
      attestor: binauthz.attestor.id,
      signingKeyVersion: binauthz.signingKeyVersion,
      enforcement: pulumi.output(cfg.binaryAuthorization.enforcement),
    },
  };
}

export type PlatformOutputs = ReturnType<typeof createPlatform>;
