import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
const TOOLS_BIN = join(REPO_ROOT, '.cache', 'bin');

export type SecurityTool = 'gitleaks' | 'schemathesis';

/**
 * The pinned scanner's path (.cache/bin). When it is missing, scripts/lib.sh's
 * ensure_security_tools installs the pinned versions first (idempotent; the pins live there).
 */
export function securityTool(name: SecurityTool): string {
  const override = process.env[`${name.toUpperCase()}_BIN`];
  if (override) return override;
  const path = join(TOOLS_BIN, name);
  if (!existsSync(path)) {
    execFileSync('bash', ['-c', 'source scripts/lib.sh && ensure_security_tools'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  if (!existsSync(path)) throw new Error(`${name} is not installed at ${path}`);
  return path;
}
