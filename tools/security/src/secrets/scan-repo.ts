import { execFileSync } from 'node:child_process';
import { copyFileSync, lstatSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gitleaks, type Finding } from './gitleaks';

export interface RepoScan {
  ok: boolean;
  tree: { files: number; findings: Finding[] };
  history: { commits: number; findings: Finding[] };
}

/**
 * The working tree as git sees it: tracked files and untracked ones that are not ignored (what
 * the next commit could hold), copied aside so that node_modules, .cache and the lab's generated
 * secrets under .lab/ (all git-ignored) are not scanned.
 */
export async function scanTree(root: string): Promise<{ files: number; findings: Finding[] }> {
  const list = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: root })
    .toString('utf8')
    .split('\0')
    .filter(Boolean);
  const copy = mkdtempSync(join(tmpdir(), 'gitleaks-tree-'));
  let files = 0;
  try {
    for (const rel of list) {
      const from = join(root, rel);
      let st;
      try {
        st = lstatSync(from);
      } catch {
        continue; // deleted in the working tree
      }
      if (!st.isFile()) continue; // symlinks and submodules: their targets are scanned where they live
      mkdirSync(dirname(join(copy, rel)), { recursive: true });
      copyFileSync(from, join(copy, rel));
      files++;
    }
    const findings = await gitleaks('dir', copy);
    return {
      files,
      findings: findings.map((f) => ({ ...f, where: f.where.replace(`${copy}/`, '') })),
    };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/** Every commit reachable from HEAD (the history this branch would bring into main). */
export async function scanHistory(root: string): Promise<{ commits: number; findings: Finding[] }> {
  const commits = Number(
    execFileSync('git', ['rev-list', '--count', 'HEAD'], { cwd: root }).toString().trim(),
  );
  return { commits, findings: await gitleaks('git', root, ['--log-opts=HEAD']) };
}

export async function scanRepo(root: string): Promise<RepoScan> {
  const [tree, history] = await Promise.all([scanTree(root), scanHistory(root)]);
  return { ok: !tree.findings.length && !history.findings.length, tree, history };
}
