// What a release must do, read from deploy.yml itself: if a step is removed or reordered, the
// release loses a guarantee and this fails.
import { job, runs, stepById, stepIndex, uses, workflow } from './testing';
import type { Job, Step } from './workflows';

const deploy = () => workflow('deploy.yml').workflow;
const order = (j: Job, ...ids: string[]) => ids.map((id) => stepIndex(j, (s) => s.id === id));
const withOf = (s: Step) => (s.with ?? {}) as Record<string, string>;

describe('deploy.yml', () => {
  it('runs on release tags only, one release at a time, never cancelled midway', () => {
    const wf = deploy();
    expect(wf.on).toEqual({ push: { tags: ['v*'] } });
    expect(wf.concurrency).toEqual({ group: 'deploy', 'cancel-in-progress': false });
  });

  describe('build', () => {
    const build = () => job('deploy.yml', 'build');

    it('builds both images on the official bases through BASE_IMAGE', () => {
      const builds = (build().steps ?? []).filter(uses('docker/build-push-action'));
      const env = deploy().env as Record<string, string>;
      expect(env.API_BASE_IMAGE).toBe('node:22-bookworm-slim');
      expect(env.WEB_BASE_IMAGE).toBe('debian:bookworm-slim');
      for (const [file, arg] of [
        ['app/api/Dockerfile', 'BASE_IMAGE=${{ env.API_BASE_IMAGE }}'],
        ['app/web/Dockerfile', 'BASE_IMAGE=${{ env.WEB_BASE_IMAGE }}'],
      ])
        expect(
          builds.filter((s) => withOf(s).file === file).map((s) => withOf(s)['build-args']),
        ).toEqual([arg, arg]);
    });

    it('scans each image with Trivy, failing on fixable HIGH/CRITICAL, before anything is pushed', () => {
      const b = build();
      const scans = (b.steps ?? []).filter(uses('aquasecurity/trivy-action'));
      expect(scans.map((s) => withOf(s)['image-ref']).sort()).toEqual([
        'dhakacart/api:scan',
        'dhakacart/web:scan',
      ]);
      for (const s of scans)
        expect(withOf(s)).toMatchObject({
          'scan-type': 'image',
          severity: 'HIGH,CRITICAL',
          'ignore-unfixed': true,
          'exit-code': '1',
        });
      const lastScan = Math.max(...scans.map((s) => (b.steps ?? []).indexOf(s)));
      expect(lastScan).toBeLessThan(stepIndex(b, (s) => s.id === 'push-api'));
      expect(lastScan).toBeLessThan(stepIndex(b, (s) => s.id === 'push-web'));
    });

    it('scans the images for secrets with the project command, makes SBOMs, signs and attests by digest', () => {
      const b = build();
      expect(
        stepIndex(
          b,
          runs(/npm run --silent secrets -w @dhakacart\/security -- image dhakacart\/api:scan/),
        ),
      ).toBeGreaterThan(-1);
      expect(
        (b.steps ?? []).filter(uses('anchore/sbom-action')).map((s) => withOf(s).format),
      ).toEqual(['cyclonedx-json', 'cyclonedx-json']);
      expect(stepIndex(b, runs(/cosign sign --yes "\$API"/))).toBeGreaterThan(
        stepIndex(b, (s) => s.id === 'refs'),
      );
      expect(stepIndex(b, runs(/cosign attest --yes --type cyclonedx/))).toBeGreaterThan(-1);
      const attest = (b.steps ?? []).find(runs(/binauthz attestations sign-and-create/))!;
      expect(attest.run).toMatch(
        /--artifact-url="\$image" --attestor="\$ATTESTOR" --keyversion="\$KEYVERSION"/,
      );
      expect(attest.env).toMatchObject({
        ATTESTOR: '${{ steps.platform.outputs.attestor }}',
        KEYVERSION: '${{ steps.platform.outputs.keyversion }}',
      });
      expect(stepById(b, 'platform').run).toMatch(/binaryAuthorization\.attestor/);
      expect(stepById(b, 'platform').run).toMatch(/binaryAuthorization\.signingKeyVersion/);
      expect(stepById(b, 'refs').run).toMatch(/\^sha256:\[0-9a-f\]\{64\}\$/);
      expect(b.outputs).toMatchObject({
        api: '${{ steps.refs.outputs.api }}',
        web: '${{ steps.refs.outputs.web }}',
      });
    });
  });

  describe('staging', () => {
    const staging = () => job('deploy.yml', 'staging');

    it('reads the rollback target, deploys with the policy pack, smoke-tests, then gates in the cluster', () => {
      const s = staging();
      const idx = order(s, 'previous', 'deploy', 'smoke', 'gate');
      expect(idx.every((i) => i > -1)).toBe(true);
      expect(idx).toEqual([...idx].sort((a, b) => a - b));
      expect(stepById(s, 'deploy').run).toMatch(
        /pulumi config set --stack staging --path images\.api "\$API"/,
      );
      expect(stepById(s, 'deploy').run).toMatch(
        /pulumi up --stack staging --yes --policy-pack "\$GITHUB_WORKSPACE\/infra\/policy"/,
      );
      expect(stepById(s, 'smoke').run).toMatch(
        /k6-testrun\.sh "smoke-\$\{GITHUB_RUN_ID\}" smoke\.js 1 /,
      );
      expect(stepById(s, 'gate').run).toMatch(/gate-in-cluster\.sh staging /);
    });

    it('rolls staging back to the digests it ran before when anything after the deploy fails', () => {
      const r = stepById(staging(), 'rollback');
      expect(r.if).toBe("failure() && steps.deploy.outcome != 'skipped'");
      expect(r.env).toMatchObject({ PREVIOUS_API: '${{ steps.previous.outputs.api }}' });
      expect(r.run).toMatch(
        /pulumi config set --stack staging --path images\.api "\$PREVIOUS_API"/,
      );
      expect(r.run).toMatch(/grep -qx "api=\$PREVIOUS_API" now\.txt/); // and checks it
    });
  });

  describe('production', () => {
    const prod = () => job('deploy.yml', 'production');

    it('goes migrate, canary, gate, promote, gate, in that order, after reading the rollback target', () => {
      const idx = order(
        prod(),
        'previous',
        'migrate',
        'canary',
        'canary-gate',
        'promote',
        'promoted-gate',
      );
      expect(idx.every((i) => i > -1)).toBe(true);
      expect(idx).toEqual([...idx].sort((a, b) => a - b));
      expect(stepById(prod(), 'canary').run).toMatch(/render canary --image "\$API"/);
      expect(stepById(prod(), 'canary-gate').run).toMatch(/gate-in-cluster\.sh prod /);
      expect(stepById(prod(), 'promote').run).toMatch(
        /pulumi up --stack prod --yes --policy-pack "\$GITHUB_WORKSPACE\/infra\/policy"/,
      );
      expect(stepById(prod(), 'promoted-gate').run).toMatch(/gate-in-cluster\.sh prod /);
    });

    it('copies the staged images by digest, so production runs the bytes staging judged', () => {
      const r = stepById(prod(), 'refs').run!;
      expect(r).toMatch(/skopeo copy --all --preserve-digests/);
      expect(r).toMatch(/echo "\$name=\$REGISTRY\/\$name@\$digest"/);
    });

    it('rolls back automatically on any failure: removes the canary and restores the previous digests', () => {
      const r = stepById(prod(), 'rollback');
      expect(r.if).toBe("failure() && steps.previous.outcome == 'success'");
      expect(r.run).toMatch(/delete deployment api-canary/);
      expect(r.run).toMatch(/pulumi config set --stack prod --path images\.api "\$PREVIOUS_API"/);
      expect(r.run).toMatch(/pulumi config set --stack prod --path images\.web "\$PREVIOUS_WEB"/);
      expect(stepById(prod(), 'outcome').if).toBe('always()');
      expect(stepById(prod(), 'outcome').run).toMatch(/o=rolled-back/);
    });

    it('waits for staging and uses the production environment', () => {
      expect(prod().needs).toEqual(['build', 'staging']);
      expect(prod().environment).toBe('production');
    });
  });

  it('announces the start and every outcome', () => {
    const announce = job('deploy.yml', 'announce');
    expect(announce.uses).toBe('./.github/workflows/notify.yml');
    expect(announce.with).toMatchObject({ outcome: 'started' });
    const n = job('deploy.yml', 'notify');
    expect(n.uses).toBe('./.github/workflows/notify.yml');
    expect(n.if).toBe('always()');
    expect(n.needs).toEqual(['build', 'staging', 'production']);
    expect(String(n.with?.outcome)).toMatch(/needs\.production\.outputs\.outcome/);
    expect(n.secrets).toBe('inherit');
  });
});
