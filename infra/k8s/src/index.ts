export * from './settings';
export * from './objects';
export {
  alertmanagerReceivers,
  ALERTMANAGER_SECRET,
  readSloSources,
  parseRuleFile,
  RuleFileError,
  KPS_FULLNAME,
  prometheusUrl,
} from './objects/monitoring';
export { renderYaml } from './render';
export { ENVIRONMENTS, GOOGLE_LB_SOURCE_RANGES } from './environments';
export { LOADTEST_POOL_LABEL, LOADTEST_POOL_VALUE } from './objects/loadtest';
export { namespacePlans, DEFAULT_DENY } from './objects/namespaces';
export { restrictedViolations } from './objects/pod-security';
export { catalogueCdnFilter, storeRoute, CDN_CATALOGUE_MATCHES } from './objects/gateway';
