import { canaryDeployment, canaryReplicas, RELEASE_LABEL, TRACK_LABEL } from './canary';
import { findings, NEW_API, rendered } from './testing';

const liveApi = () => rendered('prod', 'Deployment', (o) => o.metadata.name === 'api');

describe('the production canary', () => {
  it('is a valid Deployment running the new image beside the stable one', async () => {
    const c = canaryDeployment(liveApi(), { image: NEW_API, release: 'v1.4.0' });
    expect(findings(c)).toEqual([]);
    expect(c.metadata.name).toBe('api-canary');
    const spec = c.spec as {
      template: { spec: { containers: { name: string; image: string }[] } };
    };
    expect(spec.template.spec.containers.find((x) => x.name === 'api')?.image).toBe(NEW_API);
  });

  it("keeps the stable Service's selector labels on its pods, with its own track in its selector", () => {
    const live = liveApi() as { spec: { selector: { matchLabels: Record<string, string> } } };
    const c = canaryDeployment(structuredClone(live), { image: NEW_API, release: 'v1.4.0' });
    const spec = c.spec as {
      selector: { matchLabels: Record<string, string> };
      template: { metadata: { labels: Record<string, string> } };
    };
    for (const [k, v] of Object.entries(live.spec.selector.matchLabels))
      expect(spec.template.metadata.labels[k]).toBe(v);
    expect(spec.selector.matchLabels[TRACK_LABEL]).toBe('canary');
    expect(spec.template.metadata.labels[RELEASE_LABEL]).toBe('v1-4-0');
    expect(c.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('github-actions');
  });

  it('takes about the requested share of the pods, never none', () => {
    expect(canaryReplicas(9, 0.1)).toBe(1);
    expect(canaryReplicas(6, 0.1)).toBe(1);
    expect(canaryReplicas(90, 0.1)).toBe(10);
    expect(canaryReplicas(0, 0.1)).toBe(1);
    expect(() => canaryReplicas(6, 1)).toThrow(/not in/);
  });

  it.each([
    ['a tag instead of a digest', 'asia-docker.pkg.dev/p/dhakacart/api:v1', 'IMAGE_NOT_BY_DIGEST'],
    [
      'the all-zero placeholder',
      `asia-docker.pkg.dev/p/dhakacart/api@sha256:${'0'.repeat(64)}`,
      'PLACEHOLDER_DIGEST',
    ],
  ])('refuses %s', (_label, image, code) => {
    expect(() => canaryDeployment(liveApi(), { image, release: 'v1' })).toThrow(
      expect.objectContaining({ code }),
    );
  });

  it('refuses an object that is not a Deployment, naming the field', () => {
    expect(() => canaryDeployment({ kind: 'Service' }, { image: NEW_API, release: 'v1' })).toThrow(
      /the live Deployment: apiVersion/,
    );
  });
});
