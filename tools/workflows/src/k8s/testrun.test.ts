import { testRunFrom } from './testrun';
import { findings, rendered } from './testing';

const template = () => rendered('staging', 'TestRun', () => true);

describe('k6 TestRuns from the stack-defined TestRun', () => {
  it('runs the smoke script on one runner, keeping the runners where the template puts them', async () => {
    const t = testRunFrom(template(), { name: 'smoke-123', script: 'smoke.js', parallelism: 1 });
    expect(findings(t)).toEqual([]);
    const spec = t.spec as Record<string, unknown> & {
      runner: { nodeSelector: Record<string, string> };
      script: { configMap: { name: string; file: string } };
    };
    expect(spec.parallelism).toBe(1);
    expect(spec.script.configMap).toEqual({ name: 'k6-scripts', file: 'smoke.js' });
    expect(spec.arguments).toBe('--tag testid=smoke-123');
    expect(spec.paused).toBeUndefined();
    expect(spec.cleanup).toBeUndefined(); // runner pods kept for their exit codes
    const live = template() as { spec: { runner: { nodeSelector: Record<string, string> } } };
    expect(spec.runner.nodeSelector).toEqual(live.spec.runner.nodeSelector);
  });

  it('is caught by the validator when a field has the wrong type', () => {
    const t = testRunFrom(template(), { name: 'smoke-1', script: 'smoke.js', parallelism: 1 });
    expect(findings({ ...t, spec: { ...t.spec, parallelism: 'one' } })).not.toEqual([]);
  });

  it("defaults to the template's parallelism (the nightly peak)", () => {
    const live = template() as { spec: { parallelism: number } };
    const t = testRunFrom(template(), { name: 'peak-100k-9', script: 'peak-100k.js' });
    expect((t.spec as { parallelism: number }).parallelism).toBe(live.spec.parallelism);
  });

  it('refuses more runners than the template allows, or a script name that is a path', () => {
    expect(() =>
      testRunFrom(template(), { name: 'x', script: 'smoke.js', parallelism: 1000 }),
    ).toThrow(expect.objectContaining({ code: 'BAD_PARALLELISM' }));
    expect(() => testRunFrom(template(), { name: 'x', script: '../etc/passwd' })).toThrow(
      expect.objectContaining({ code: 'BAD_SCRIPT' }),
    );
  });
});
