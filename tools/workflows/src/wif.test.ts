// Every workflow that authenticates to Google Cloud runs from a ref the platform's Workload
// Identity provider accepts: its attribute condition (infra/gcp) is evaluated by a real CEL
// implementation, as Google's STS would, on the refs each workflow's triggers produce.
import fs from 'node:fs';
import path from 'node:path';
import { run as cel } from '@bufbuild/cel';
import YAML from 'yaml';
import { githubAttributeCondition } from '@dhakacart/infra-gcp/platform/components/identities';
import { repoWorkflows } from './testing';
import { allSteps, REPO_ROOT, type WorkflowFile } from './workflows';

function ciConfig(env: 'staging' | 'prod'): { githubRepository: string; githubRefs: string[] } {
  const file = path.join(REPO_ROOT, 'infra/gcp/platform', `Pulumi.${env}.yaml`);
  const doc = YAML.parse(fs.readFileSync(file, 'utf8')) as { config: Record<string, unknown> };
  return doc.config['dhakacart-platform:ci'] as { githubRepository: string; githubRefs: string[] };
}

/** The refs a workflow's triggers run on (schedules and dispatches run on the default branch). */
function triggerRefs(f: WorkflowFile): string[] {
  const on = f.workflow.on;
  const refs: string[] = [];
  const push = on.push as { tags?: string[]; branches?: string[] } | undefined;
  for (const t of push?.tags ?? []) refs.push(`refs/tags/${t.replace('*', '1.4.0')}`);
  for (const b of push?.branches ?? []) refs.push(`refs/heads/${b}`);
  if ('schedule' in on || 'workflow_dispatch' in on) refs.push('refs/heads/main');
  if ('pull_request' in on) refs.push('refs/pull/7/merge');
  return refs;
}

const authenticates = (f: WorkflowFile) =>
  allSteps(f.workflow).some(({ step }) => step.uses?.startsWith('google-github-actions/auth@'));

describe('Workload Identity Federation and the workflows', () => {
  const gcpWorkflows = repoWorkflows().filter(authenticates);

  it('is used by deploy, nightly and backup-drill', () => {
    expect(gcpWorkflows.map((f) => path.basename(f.file)).sort()).toEqual([
      'backup-drill.yml',
      'deploy.yml',
      'nightly.yml',
    ]);
  });

  it.each(['staging', 'prod'] as const)(
    "accepts every trigger of those workflows in %s's provider",
    (env) => {
      const cfg = ciConfig(env);
      const condition = githubAttributeCondition(cfg.githubRepository, cfg.githubRefs);
      const accepts = (ref: string) =>
        cel(condition, {
          assertion: new Map([
            ['repository', cfg.githubRepository],
            ['ref', ref],
          ]),
        }) as boolean;
      const refs = gcpWorkflows.flatMap(triggerRefs);
      expect(refs).toEqual(expect.arrayContaining(['refs/tags/v1.4.0', 'refs/heads/main']));
      for (const ref of refs)
        expect({ ref, accepted: accepts(ref) }).toEqual({ ref, accepted: true });
      // ...and the condition is not a blanket yes: a pull request's ref is refused.
      expect(accepts('refs/pull/7/merge')).toBe(false);
    },
  );

  it('is never attempted from a pull request', () => {
    for (const f of gcpWorkflows) expect(Object.keys(f.workflow.on)).not.toContain('pull_request');
  });
});
