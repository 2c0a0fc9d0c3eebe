export * from './settings';
export * from './objects';
export {
  readSloSources,
  parseRuleFile,
  RuleFileError,
  KPS_FULLNAME,
  prometheusUrl,
} from './objects/monitoring';
export { renderYaml } from './render';
export { ENVIRONMENTS, GOOGLE_LB_SOURCE_RANGES } from './environments';
export { LOADTEST_POOL_LABEL, LOADTEST_POOL_VALUE } from './objects/loadtest';
