import { ENVIRONMENTS } from './environments';
import { buildWorkloadObjects, type KubeObject } from './objects';
import { readSloSources } from './objects/monitoring';
import { REPO_ROOT } from './paths';

export type EnvName = keyof typeof ENVIRONMENTS;
export const ENV_NAMES = Object.keys(ENVIRONMENTS) as EnvName[];

/** The objects the offline render and validation see for one example environment. */
export function exampleObjects(env: EnvName): { objects: KubeObject[]; missingSloFiles: string[] } {
  const slo = readSloSources(REPO_ROOT);
  return { objects: buildWorkloadObjects(ENVIRONMENTS[env], slo), missingSloFiles: slo.missing };
}
