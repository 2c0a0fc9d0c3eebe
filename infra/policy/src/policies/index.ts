import { gcpPolicies } from './gcp';
import { kubernetesPolicies, kubernetesStackPolicies } from './kubernetes';
import type { DhakaPolicy } from './types';

export const ALL_POLICIES: DhakaPolicy[] = [
  ...gcpPolicies,
  ...kubernetesPolicies,
  ...kubernetesStackPolicies,
];
