/** The images infra/lab/stack.logging.yml runs (tools/images/src/manifest.ts). */
export const LOGGING_IMAGES = ['victoria-logs'] as const;

/**
 * What stack.logging.yml interpolates: the log store's image reference. The per-service
 * `logging:` options are literal in the file (see docs/adr/0402-centralized-logs.md).
 */
export function logsStackEnv(refs: Record<string, string>): Record<string, string> {
  const ref = refs['victoria-logs'];
  if (!ref) throw new Error('no image reference for victoria-logs');
  return { VICTORIA_LOGS_IMAGE: ref };
}
