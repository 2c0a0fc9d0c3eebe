// The saved queries (LogsQL and LogQL) live in the api, whose image runs the ops board's log
// tile; the CLI, the benchmark and infra/k8s's Grafana dashboards use the same ones.
export * from '@dhakacart/api/src/log-store/queries';
