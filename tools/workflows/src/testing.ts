// Test helpers for the workflow files: a workflow from the repository, its jobs and steps found
// by id or by what they run.
import {
  parseWorkflow,
  readWorkflows,
  REPO_ROOT,
  type Job,
  type Step,
  type WorkflowFile,
} from './workflows';

let cache: WorkflowFile[] | undefined;

export function repoWorkflows(): WorkflowFile[] {
  cache ??= readWorkflows(REPO_ROOT);
  return cache;
}

export function workflow(name: string): WorkflowFile {
  const f = repoWorkflows().find((w) => w.file === `.github/workflows/${name}`);
  if (!f) throw new Error(`.github/workflows/${name} does not exist`);
  return f;
}

export function job(file: string, id: string): Job {
  const j = workflow(file).workflow.jobs[id];
  if (!j) throw new Error(`${file} has no job ${id}`);
  return j;
}

/** The index of the first step matching, or -1. */
export function stepIndex(j: Job, match: (s: Step) => boolean): number {
  return (j.steps ?? []).findIndex(match);
}

export function stepById(j: Job, id: string): Step {
  const s = (j.steps ?? []).find((x) => x.id === id);
  if (!s) throw new Error(`no step ${id}`);
  return s;
}

export const runs = (re: RegExp) => (s: Step) => typeof s.run === 'string' && re.test(s.run);
export const uses = (action: string) => (s: Step) => s.uses?.split('@')[0] === action;

/** A workflow file from text, for the rules' negative cases. */
export function fromText(text: string): WorkflowFile {
  return parseWorkflow('.github/workflows/fixture.yml', text);
}
