import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { securityTool } from '../tools';

const run = promisify(execFile);
export const GITLEAKS_CONFIG = join(__dirname, '..', '..', 'gitleaks.toml');

/** One finding, never with the secret: gitleaks runs with --redact, and only its rule is kept. */
export interface Finding {
  rule: string;
  /** Where: a path (relative to what was scanned), or a label such as "docker history". */
  where: string;
  line: number;
  commit?: string;
  /** gitleaks' fingerprint, for a reviewed .gitleaksignore entry if it is a false positive. */
  fingerprint: string;
}

interface GitleaksReportEntry {
  RuleID: string;
  File: string;
  StartLine: number;
  Commit?: string;
  Fingerprint: string;
}

/**
 * Runs `gitleaks <mode> ... <target>` with the project config and returns its findings. gitleaks
 * exits 1 when it finds something; any other failure (bad config, unreadable target) throws.
 */
export async function gitleaks(
  mode: 'dir' | 'git',
  target: string,
  extra: string[] = [],
): Promise<Finding[]> {
  const dir = mkdtempSync(join(tmpdir(), 'gitleaks-'));
  const report = join(dir, 'report.json');
  try {
    const args = [
      mode,
      '--config',
      GITLEAKS_CONFIG,
      '--redact',
      '--no-banner',
      '--no-color',
      '--log-level',
      'error',
      // A file over 5 MB here is a binary (node, postgres); gitleaks would read it for nothing.
      '--max-target-megabytes',
      '5',
      '--exit-code',
      '3',
      '--report-format',
      'json',
      '--report-path',
      report,
      ...extra,
      target,
    ];
    await run(securityTool('gitleaks'), args, { maxBuffer: 16 * 1024 * 1024 }).catch(
      (e: { code?: number; stderr?: string }) => {
        if (e.code !== 3)
          throw new Error(`gitleaks ${mode} failed (exit ${e.code}): ${e.stderr?.slice(0, 500)}`);
      },
    );
    const entries = JSON.parse(readFileSync(report, 'utf8')) as GitleaksReportEntry[];
    return entries.map((f) => ({
      rule: f.RuleID,
      where: f.File,
      line: f.StartLine,
      ...(f.Commit ? { commit: f.Commit.slice(0, 12) } : {}),
      fingerprint: f.Fingerprint,
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
