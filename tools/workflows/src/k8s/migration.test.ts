import { migrationJob } from './migration';
import { findings, NEW_API, rendered } from './testing';

const liveJob = () => rendered('prod', 'Job', (o) => o.metadata.name.startsWith('api-migrate-'));

describe('the expand migration before the canary', () => {
  it("is the stack's migration Job under a new name, on the new image", async () => {
    const j = migrationJob(liveJob(), { image: NEW_API, release: 'v2.0.0' });
    expect(findings(j)).toEqual([]);
    expect(j.metadata.name).toBe('api-migrate-v2-0-0');
    const spec = j.spec as {
      template: { spec: { containers: { image: string; command: string[] }[] } };
    };
    expect(spec.template.spec.containers[0]!.image).toBe(NEW_API);
    expect(spec.template.spec.containers[0]!.command).toEqual([
      'node',
      'dist/cli/migrate.js',
      'up',
    ]);
  });

  it('drops what the Job controller added to the live Job', () => {
    const live = liveJob() as {
      spec: { selector?: unknown; template: { metadata: { labels: Record<string, string> } } };
    };
    live.spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': 'x' } };
    live.spec.template.metadata.labels['batch.kubernetes.io/controller-uid'] = 'x';
    live.spec.template.metadata.labels['job-name'] = 'api-migrate-old';
    const j = migrationJob(live, { image: NEW_API, release: 'v2' });
    const spec = j.spec as {
      selector?: unknown;
      template: { metadata: { labels: Record<string, string> } };
    };
    expect(spec.selector).toBeUndefined();
    expect(Object.keys(spec.template.metadata.labels)).not.toContain('job-name');
    expect(Object.keys(spec.template.metadata.labels)).not.toContain(
      'batch.kubernetes.io/controller-uid',
    );
  });
});
