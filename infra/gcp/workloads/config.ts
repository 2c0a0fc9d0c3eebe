// The only place the workloads program reads Pulumi config.
import * as pulumi from '@pulumi/pulumi';
import { parseWorkloadsConfig, type WorkloadsConfig } from './config-schema';

export function loadWorkloadsConfig(): WorkloadsConfig {
  const cfg = new pulumi.Config();
  return parseWorkloadsConfig({
    platformStack: cfg.require('platformStack'),
    images: cfg.requireObject('images'),
    api: cfg.requireObject('api'),
    web: cfg.requireObject('web'),
    toolImages: cfg.requireObject('toolImages'),
    loadtest: cfg.requireObject('loadtest'),
    chaos: cfg.requireObject('chaos'),
    backups: cfg.requireObject('backups'),
    cdn: cfg.requireObject('cdn'),
    logs: cfg.requireObject('logs'),
    alerting: cfg.requireObject('alerting'),
    monitoring: cfg.requireObject('monitoring'),
  });
}
