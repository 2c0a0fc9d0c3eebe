import { judgeStep, kneeOf, nextVisitors, sentRps, type StepFigures } from './knee';

const step = (visitors: number, over: Partial<StepFigures> = {}): StepFigures => ({
  visitors,
  targetRps: visitors / 10,
  achievedRps: visitors / 10,
  p99Ms: 80,
  errorRate: 0,
  generatorCpuShare: 0.1,
  ...over,
});

describe('judging one step', () => {
  test('a step holds within p99 300 ms and 0.1% errors, having sent its rate', () => {
    expect(judgeStep(step(1000)).held).toBe(true);
  });

  test('a slow p99, too many errors, or a rate the generators could not send each fail it, named', () => {
    expect(judgeStep(step(1000, { p99Ms: 301 })).why).toEqual(['p99 301 ms > 300 ms']);
    expect(judgeStep(step(1000, { errorRate: 0.0011 })).why[0]).toMatch(/^errors 0\.11% > 0\.1%/);
    expect(judgeStep(step(1000, { achievedRps: 80 })).why).toEqual(['sent 80 of 100 req/s']);
  });
});

describe('the ladder and the bisection', () => {
  const o = { start: 500, max: 100_000 };

  test('doubles from the start while steps hold, and stops at the maximum', () => {
    expect(nextVisitors([], o)).toBe(500);
    expect(nextVisitors([judgeStep(step(500))], o)).toBe(1000);
    expect(nextVisitors([judgeStep(step(64_000))], o)).toBe(100_000);
    expect(nextVisitors([judgeStep(step(100_000))], o)).toBeNull();
  });

  test('bisects between the last step that held and the first that failed, until the gap is small', () => {
    const held = judgeStep(step(4000));
    const failed = judgeStep(step(8000, { p99Ms: 900 }));
    expect(nextVisitors([held, failed], o)).toBe(6000);
    const h2 = judgeStep(step(6000));
    expect(nextVisitors([held, failed, h2], o)).toBe(7000);
    const f2 = judgeStep(step(7000, { p99Ms: 400 }));
    expect(nextVisitors([held, failed, h2, f2], o)).toBe(6500);
    // 6500 held, 7000 failed: the gap is within 15% of 6500, done.
    expect(nextVisitors([held, failed, h2, f2, judgeStep(step(6500))], o)).toBeNull();
  });

  test('stops when even the first step fails, and after the most steps allowed', () => {
    expect(nextVisitors([judgeStep(step(500, { errorRate: 0.5 }))], o)).toBeNull();
    const many = [1, 2, 3].map((k) => judgeStep(step(500 * 2 ** k)));
    expect(nextVisitors(many, { ...o, maxSteps: 3 })).toBeNull();
  });
});

describe('the knee and its limit', () => {
  test('the system is the limit when the generators sent their rate on little CPU', () => {
    const k = kneeOf([judgeStep(step(4000)), judgeStep(step(8000, { p99Ms: 900 }))], 2);
    expect(k).toMatchObject({ visitors: 4000, limitedBy: 'system' });
    expect(k.why).toMatch(/p99 900 ms/);
  });

  test('the generator is the limit when it could not send its rate or took most of a core', () => {
    expect(
      kneeOf([judgeStep(step(4000)), judgeStep(step(8000, { achievedRps: 500 }))], 2).limitedBy,
    ).toBe('generator');
    expect(
      kneeOf(
        [judgeStep(step(4000)), judgeStep(step(8000, { p99Ms: 500, generatorCpuShare: 0.45 }))],
        2,
      ).limitedBy,
    ).toBe('generator');
  });

  test('no knee when nothing held', () => {
    expect(kneeOf([judgeStep(step(500, { errorRate: 1 }))], 2).visitors).toBe(0);
  });
});

test('the rate sent is the browse generator requests over its own attack seconds, not the run wall time', () => {
  // 40 s of attacks at 51.7 req/s inside a run that lasted 123 s (Artillery's start and drain).
  expect(sentRps({ requests: 2068, seconds: 40 })).toBe(51.7);
  expect(
    judgeStep(step(500, { targetRps: 51.7, achievedRps: sentRps({ requests: 2068, seconds: 40 }) }))
      .held,
  ).toBe(true);
  expect(sentRps({ requests: 0, seconds: 0 })).toBe(0);
});
