export { loadConfig, type ExporterConfig } from './config';
export { dockerApi, type DockerApi, type ApiService, type ApiTask } from './docker-api';
export { serviceReplicas, type ServiceReplicas } from './replicas';
export { swarmMetrics } from './metrics';
export { startExporter, type RunningExporter } from './server';
