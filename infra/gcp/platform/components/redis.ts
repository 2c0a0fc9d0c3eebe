// Memorystore for Redis: STANDARD_HA (replica in another zone, automatic failover), AUTH and
// in-transit encryption on, reachable only through Private Service Access.
import * as pulumi from '@pulumi/pulumi';
import * as redis from '@pulumi/gcp/redis';

export interface RedisArgs {
  prefix: string;
  region: string;
  zones: string[];
  network: pulumi.Input<string>;
  reservedIpRange: pulumi.Input<string>;
  version: string;
  memorySizeGb: number;
  readReplicas: number;
}

export class Redis extends pulumi.ComponentResource {
  readonly instance: redis.Instance;

  constructor(name: string, a: RedisArgs, opts?: pulumi.ComponentResourceOptions) {
    super('dhakacart:platform:Redis', name, {}, opts);
    this.instance = new redis.Instance(
      name,
      {
        name: `${a.prefix}-redis`,
        region: a.region,
        tier: 'STANDARD_HA',
        memorySizeGb: a.memorySizeGb,
        redisVersion: a.version,
        locationId: a.zones[0],
        alternativeLocationId: a.zones[1],
        authorizedNetwork: a.network,
        connectMode: 'PRIVATE_SERVICE_ACCESS',
        reservedIpRange: a.reservedIpRange,
        authEnabled: true,
        transitEncryptionMode: 'SERVER_AUTHENTICATION',
        readReplicasMode: a.readReplicas > 0 ? 'READ_REPLICAS_ENABLED' : 'READ_REPLICAS_DISABLED',
        replicaCount: a.readReplicas > 0 ? a.readReplicas : undefined,
        persistenceConfig: { persistenceMode: 'RDB', rdbSnapshotPeriod: 'TWELVE_HOURS' },
        maintenancePolicy: {
          weeklyMaintenanceWindows: [{ day: 'TUESDAY', startTime: { hours: 20, minutes: 0 } }],
        },
        labels: { app: 'dhakacart', stack: a.prefix },
      },
      { parent: this },
    );
    this.registerOutputs({ host: this.instance.host });
  }
}
