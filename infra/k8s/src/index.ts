export * from './settings';
export * from './objects';
export { readSloSources, parseRuleFile, RuleFileError } from './objects/monitoring';
export { renderYaml } from './render';
export { ENVIRONMENTS, GOOGLE_LB_SOURCE_RANGES } from './environments';
export { LOADTEST_POOL_LABEL, LOADTEST_POOL_VALUE } from './objects/loadtest';
