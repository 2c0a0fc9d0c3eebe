// The project's own rules for its workflows, on top of actionlint: supply chain (every action
// pinned by commit, to the commit its tag was verified to be), credentials (Workload Identity
// Federation only, never a key), least privilege (permissions on every job) and no script
// injection through `${{ }}` in shell.
import type { Finding } from './actionlint';
import { PINS } from './pins';
import { allSteps, type WorkflowFile } from './workflows';

const USES_LINE = /^\s*(?:-\s+)?uses:\s*(\S+)(?:\s+#\s*(\S+))?\s*$/;
const PINNED = /^([\w.-]+\/[\w.-]+)(\/[\w./-]+)?@([0-9a-f]{40})$/;

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** Every `uses:` pinned by full commit SHA, with its release tag in a comment, as in PINS. */
export function pinnedActions(f: Pick<WorkflowFile, 'file' | 'text'>): Finding[] {
  const out: Finding[] = [];
  f.text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\s+$/, '');
    if (!/^\s*(?:-\s+)?uses:/.test(line)) return;
    const m = USES_LINE.exec(line);
    const at = { file: f.file, line: i + 1 };
    const ref = m?.[1]?.replace(/^['"]|['"]$/g, '') ?? '';
    if (ref.startsWith('./')) return; // a reusable workflow or action of this repository
    if (ref.startsWith('docker://')) {
      if (!/@sha256:[0-9a-f]{64}$/.test(ref))
        out.push({ ...at, rule: 'pin/docker-digest', message: `${ref} is not pinned by digest` });
      return;
    }
    const p = PINNED.exec(ref);
    if (!p) {
      out.push({
        ...at,
        rule: 'pin/sha',
        message: `"${ref}" is not pinned by a 40-hex commit SHA`,
      });
      return;
    }
    const [, repo, , sha] = p;
    const version = m?.[2];
    if (!version) {
      out.push({ ...at, rule: 'pin/comment', message: `${repo}@${sha} has no "# vX.Y.Z" comment` });
      return;
    }
    const pin = PINS[repo!];
    if (!pin) {
      out.push({
        ...at,
        rule: 'pin/unknown',
        message: `${repo} is not in tools/workflows/src/pins.ts`,
      });
    } else if (pin.sha !== sha || pin.version !== version) {
      out.push({
        ...at,
        rule: 'pin/mismatch',
        message: `${repo}@${sha} # ${version}: the verified pin is ${pin.sha} # ${pin.version}`,
      });
    }
  });
  return out;
}

const KEY_INPUTS = ['credentials_json', 'service_account_key', 'credentials'];
const KEY_SECRET = /secrets\.[A-Z0-9_]*(?:KEY|CREDENTIALS|SA_JSON|SERVICE_ACCOUNT)[A-Z0-9_]*/i;

/** Google credentials only through Workload Identity Federation: no key input, no key secret. */
export function noLongLivedKeys(f: WorkflowFile): Finding[] {
  const out: Finding[] = [];
  for (const { job, step } of allSteps(f.workflow)) {
    const at = { file: f.file, line: 0 };
    for (const k of KEY_INPUTS) {
      if (step.with && k in step.with)
        out.push({
          ...at,
          rule: 'creds/key-input',
          message: `${job}: step "${step.name ?? step.uses}" passes ${k}`,
        });
    }
    if (step.uses?.startsWith('google-github-actions/auth@')) {
      if (!step.with?.workload_identity_provider || !step.with?.service_account)
        out.push({
          ...at,
          rule: 'creds/wif',
          message: `${job}: google-github-actions/auth without workload_identity_provider and service_account`,
        });
      const perms = f.workflow.jobs[job]?.permissions;
      if (typeof perms !== 'object' || perms['id-token'] !== 'write')
        out.push({
          ...at,
          rule: 'creds/id-token',
          message: `${job}: authenticates but lacks id-token: write`,
        });
    }
  }
  const m = KEY_SECRET.exec(f.text);
  if (m)
    out.push({
      file: f.file,
      line: lineOf(f.text, m.index),
      rule: 'creds/key-secret',
      message: `${m[0]} looks like a long-lived key`,
    });
  return out;
}

const READ_ONLY = new Set(['read', 'none']);

/** Least privilege: read-only (or no) default permissions, and an explicit block on every job. */
export function leastPrivilege(f: WorkflowFile): Finding[] {
  const out: Finding[] = [];
  const top = f.workflow.permissions;
  const at = { file: f.file, line: 0 };
  if (
    top === undefined ||
    typeof top === 'string' ||
    !Object.values(top).every((v) => READ_ONLY.has(v))
  )
    out.push({
      ...at,
      rule: 'perm/default',
      message: 'the workflow-level permissions must be {} or read-only',
    });
  for (const [id, job] of Object.entries(f.workflow.jobs)) {
    if (job.permissions === undefined)
      out.push({ ...at, rule: 'perm/job', message: `job ${id} has no permissions block` });
    else if (typeof job.permissions === 'string')
      out.push({
        ...at,
        rule: 'perm/job',
        message: `job ${id} uses permissions: ${job.permissions}`,
      });
    if (!job.uses && job['timeout-minutes'] === undefined)
      out.push({ ...at, rule: 'job/timeout', message: `job ${id} has no timeout-minutes` });
  }
  return out;
}

const UNTRUSTED = /\$\{\{\s*(?:github\.event\.|github\.head_ref|inputs\.)/;

/** Values an outsider or a caller controls reach shell through env:, never through `${{ }}`. */
export function noScriptInjection(f: WorkflowFile): Finding[] {
  return allSteps(f.workflow)
    .filter(({ step }) => typeof step.run === 'string' && UNTRUSTED.test(step.run))
    .map(({ job, step }) => ({
      file: f.file,
      line: 0,
      rule: 'shell/injection',
      message: `${job}: step "${step.name ?? step.id}" expands an untrusted value inside run:`,
    }));
}

export function policyFindings(files: WorkflowFile[]): Finding[] {
  return files.flatMap((f) => [
    ...pinnedActions(f),
    ...noLongLivedKeys(f),
    ...leastPrivilege(f),
    ...noScriptInjection(f),
  ]);
}
