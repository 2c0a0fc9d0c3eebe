import { gcpPolicies } from './gcp';
import { cdnOnlyOnPublicCatalogue } from './cdn';
import { kubernetesPolicies, kubernetesStackPolicies } from './kubernetes';
import type { DhakaPolicy } from './types';

export const ALL_POLICIES: DhakaPolicy[] = [
  ...gcpPolicies,
  ...kubernetesPolicies,
  ...kubernetesStackPolicies,
  cdnOnlyOnPublicCatalogue,
];
