// Wires the platform components together and returns what the workloads stack needs.
import * as pulumi from '@pulumi/pulumi';
import type { PlatformConfig } from './config-schema';
import { Network } from './components/network';
import { GkeCluster } from './components/cluster';
import { Database } from './components/database';
import { Redis } from './components/redis';
import { AppSecrets } from './components/secrets';
import { Identities, KSA } from './components/identities';
import { Edge } from './components/edge';
import { BackupBucket, Registry } from './components/storage';
import { ProjectServices } from './components/services';

export const APP_PORTS = { api: 3000, web: 8080 } as const;
export const POSTGRES_PORT = 5432;
/** Memorystore with in-transit encryption listens on 6378. */
export const REDIS_TLS_PORT = 6378;
export const DATABASE = { name: 'dhakacart', user: 'dhakacart_app' } as const;

export function createPlatform(cfg: PlatformConfig) {
  const prefix = `dhakacart-${cfg.environment}`;
  const apis = new ProjectServices('apis', { project: cfg.project });
  const after = { dependsOn: apis.services };

  const network = new Network(
    'network',
    {
      prefix,
      region: cfg.region,
      ...cfg.network,
      podServingPorts: [APP_PORTS.api, APP_PORTS.web],
      dataPorts: [POSTGRES_PORT, REDIS_TLS_PORT],
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
      ...cfg.cluster,
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

  const registry = new Registry('registry', { prefix, region: cfg.region }, after);
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
  const identities = new Identities(
    'identities',
    {
      prefix,
      project: cfg.project,
      region: cfg.region,
      workloadPool: gke.workloadPool,
      secrets: [secrets.dbPasswordSecret, secrets.redisAuthSecret, secrets.sessionKeySecret],
      veleroBucket: backups.bucket,
      registry: registry.repository,
      nodeServiceAccountEmail: gke.nodeServiceAccount.email,
      githubRepository: cfg.ci.githubRepository,
      githubRef: cfg.ci.githubRef,
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
    },
    database: {
      host: db.instance.privateIpAddress,
      port: pulumi.output(POSTGRES_PORT),
      name: db.database.name,
      user: db.user.name,
      serverCa: serverCa(db.instance.serverCaCerts),
    },
    redis: {
      host: cache.instance.host,
      port: cache.instance.port,
      serverCa: serverCa(cache.instance.serverCaCerts),
    },
    dataTierCidr: pulumi.output(cfg.network.privateServicesCidr),
    secretIds: {
      dbPassword: secrets.dbPasswordSecret.secretId,
      redisAuth: secrets.redisAuthSecret.secretId,
      sessionKey: secrets.sessionKeySecret.secretId,
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
      ksa: KSA,
    },
    ciWorkloadIdentityProvider: identities.githubProvider.name,
    veleroBucket: backups.bucket.name,
    registryUrl: registry.url,
  };
}

export type PlatformOutputs = ReturnType<typeof createPlatform>;
