import type { WorkloadSettings } from '../settings';

export type Component = 'api' | 'web' | 'migrations';

/** Selector labels: stable for the life of a Deployment, so they never include a version. */
export function selectorLabels(component: Component): Record<string, string> {
  return { 'app.kubernetes.io/name': component, 'app.kubernetes.io/part-of': 'dhakacart' };
}

export function commonLabels(
  settings: WorkloadSettings,
  component: Component,
): Record<string, string> {
  return {
    ...selectorLabels(component),
    'app.kubernetes.io/managed-by': 'pulumi',
    'dhakacart.io/environment': settings.environment,
  };
}
