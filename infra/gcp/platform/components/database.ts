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

/**
 * CIS Google Cloud Foundations Benchmark (Cloud SQL for PostgreSQL): log every connection and
 * disconnection, audit with pgaudit (DDL and role changes; `CREATE EXTENSION pgaudit` is run once
 * in the database at first deploy, see docs/gcp/first-deploy.md: the lab's PostgreSQL has no
 * pgaudit, so the api's migrations cannot), and never log statement text by duration (-1): statements carry
 * customer data. Slow queries are found with Query Insights instead, which stores normalised
 * queries without their values.
 */
export const DATABASE_FLAGS = [
  { name: 'log_connections', value: 'on' },
  { name: 'log_disconnections', value: 'on' },
  { name: 'cloudsql.enable_pgaudit', value: 'on' },
  { name: 'pgaudit.log', value: 'ddl,role' },
  { name: 'log_min_duration_statement', value: '-1' },
  { name: 'log_lock_waits', value: 'on' },
];

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
          databaseFlags: DATABASE_FLAGS,
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
