// The only place the platform program reads Pulumi config. Everything below gets a validated
// PlatformConfig object.
import * as pulumi from '@pulumi/pulumi';
import { parsePlatformConfig, type PlatformConfig } from './config-schema';

export function loadPlatformConfig(): PlatformConfig {
  const gcp = new pulumi.Config('gcp');
  const cfg = new pulumi.Config();
  return parsePlatformConfig({
    project: gcp.require('project'),
    region: gcp.require('region'),
    environment: cfg.require('environment'),
    zones: cfg.requireObject('zones'),
    network: cfg.requireObject('network'),
    nat: cfg.requireObject('nat'),
    kms: cfg.requireObject('kms'),
    registry: cfg.requireObject('registry'),
    binaryAuthorization: cfg.requireObject('binaryAuthorization'),
    cluster: cfg.requireObject('cluster'),
    database: cfg.requireObject('database'),
    redis: cfg.requireObject('redis'),
    edge: cfg.requireObject('edge'),
    backups: cfg.requireObject('backups'),
    logs: cfg.requireObject('logs'),
    ci: cfg.requireObject('ci'),
  });
}
