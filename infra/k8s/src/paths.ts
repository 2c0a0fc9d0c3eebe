import path from 'node:path';

/** The repository root (infra/k8s/src -> ../../..). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const GENERATED_DIR = path.resolve(__dirname, '..', 'generated');
