import { ENVIRONMENTS } from './environments';
import { InvalidSettingsError, parseWorkloadSettings } from './settings';

const valid = () =>
  structuredClone(ENVIRONMENTS.staging) as Record<string, unknown> & typeof ENVIRONMENTS.staging;

function issuesOf(input: unknown): string[] {
  try {
    parseWorkloadSettings(input);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidSettingsError);
    expect((e as InvalidSettingsError).code).toBe('INVALID_WORKLOAD_SETTINGS');
    return (e as InvalidSettingsError).issues.map((i) => i.path);
  }
  return [];
}

describe('parseWorkloadSettings', () => {
  it('accepts the example environments', () => {
    expect(issuesOf(valid())).toEqual([]);
  });

  it('rejects a :latest image', () => {
    const s = valid();
    s.images.api = 'europe-docker.pkg.dev/p/r/api:latest';
    expect(issuesOf(s)).toEqual(['images.api']);
  });

  it('rejects an untagged image', () => {
    const s = valid();
    s.images.web = 'europe-docker.pkg.dev/p/r/web';
    expect(issuesOf(s)).toEqual(['images.web']);
  });

  it('rejects maxReplicas below minReplicas', () => {
    const s = valid();
    s.api.scaling.maxReplicas = 2;
    s.api.scaling.minReplicas = 4;
    expect(issuesOf(s)).toEqual(['api.scaling']);
  });

  it('rejects a single replica (no PDB could protect it)', () => {
    const s = valid();
    s.web.scaling.minReplicas = 1;
    expect(issuesOf(s)).toEqual(['web.scaling.minReplicas']);
  });

  it('rejects a data-tier range that is not a CIDR', () => {
    const s = valid();
    s.dataEgressCidrs = ['10.0.0.0'];
    expect(issuesOf(s)).toEqual(['dataEgressCidrs.0']);
  });
});
