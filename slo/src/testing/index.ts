/** Test helpers shared with other workspaces: real processes, free ports, a fake api's metrics. */
export * from './fake-api-metrics';
export * from './processes';
export * from './self-signed';
