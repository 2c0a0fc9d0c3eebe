// The repository's workflow files, read once: each file's text (for line-level rules such as
// pins, whose version lives in a comment) and its parsed YAML (for structural rules).
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

export interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}

export interface Job {
  name?: string;
  'runs-on'?: unknown;
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string> | string;
  environment?: unknown;
  concurrency?: unknown;
  'timeout-minutes'?: number;
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: unknown;
  outputs?: Record<string, string>;
  steps?: Step[];
}

export interface Workflow {
  name?: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  concurrency?: unknown;
  env?: Record<string, unknown>;
  jobs: Record<string, Job>;
}

export interface WorkflowFile {
  /** Path relative to the repository root. */
  file: string;
  text: string;
  workflow: Workflow;
}

export const WORKFLOWS_DIR = '.github/workflows';

export class WorkflowParseError extends Error {}

export function parseWorkflow(file: string, text: string): WorkflowFile {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length)
    throw new WorkflowParseError(`${file}: ${doc.errors[0]!.message.split('\n')[0]}`);
  const wf = doc.toJS() as Workflow;
  if (!wf || typeof wf !== 'object' || !wf.jobs || typeof wf.jobs !== 'object')
    throw new WorkflowParseError(`${file}: no jobs`);
  return { file, text, workflow: wf };
}

export function readWorkflows(repoRoot: string): WorkflowFile[] {
  const dir = path.join(repoRoot, WORKFLOWS_DIR);
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => parseWorkflow(`${WORKFLOWS_DIR}/${f}`, fs.readFileSync(path.join(dir, f), 'utf8')));
}

export function steps(job: Job): Step[] {
  return job.steps ?? [];
}

/** Every step of a workflow with its job's id. */
export function allSteps(wf: Workflow): { job: string; step: Step }[] {
  return Object.entries(wf.jobs).flatMap(([job, j]) => steps(j).map((step) => ({ job, step })));
}

/** The repository root, found from this file (tools/workflows/src). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
