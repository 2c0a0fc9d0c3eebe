// `pulumi up` entry point of the dhakacart-workloads project.
import { loadWorkloadsConfig } from './config';
import { createWorkloads } from './workloads';

const workloads = createWorkloads(loadWorkloadsConfig());

export const namespace = workloads.settings.apply((s) => s.namespace);
export const domain = workloads.settings.apply((s) => s.domain);
export const objectCount = workloads.objects.apply((o) => o.length);
