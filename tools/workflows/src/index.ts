export * from './actionlint';
export * from './policy';
export * from './pins';
export * from './workflows';
export { canaryDeployment, canaryReplicas } from './k8s/canary';
export { gateJob } from './k8s/gate-job';
export { migrationJob } from './k8s/migration';
export { testRunFrom } from './k8s/testrun';
export { workflowFromSchedule } from './k8s/workflow-from-schedule';
