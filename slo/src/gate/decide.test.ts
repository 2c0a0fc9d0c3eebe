import * as fs from 'node:fs';
import * as path from 'node:path';
import { decideGate, DEFAULT_POLICY, type GateInput, type GatePolicy } from './decide';
import { formatTable } from './format';

interface Fixture {
  input: GateInput;
  policy?: GatePolicy;
  selected?: string;
  expect: {
    verdict: string;
    exitCode: number;
    sloVerdicts?: Record<string, string>;
    reasonContains?: string;
  };
}

// JSON has no NaN; fixtures spell it "NaN" like Prometheus does.
function revive(_key: string, value: unknown): unknown {
  return value === 'NaN' ? Number.NaN : value;
}

const dir = path.join(__dirname, 'fixtures');
const fixtures = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map(
    (f) =>
      [
        f.replace(/\.json$/, ''),
        JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'), revive) as Fixture,
      ] as const,
  );

describe('decideGate fixtures', () => {
  it('has fixtures for every verdict', () => {
    const verdicts = new Set(fixtures.map(([, f]) => f.expect.verdict));
    expect([...verdicts].sort()).toEqual(['breach', 'pass', 'undecidable']);
  });

  it.each(fixtures)('%s', (_name, f) => {
    const d = decideGate(f.input, f.policy ?? DEFAULT_POLICY, f.selected);
    expect(d.verdict).toBe(f.expect.verdict);
    expect(d.exitCode).toBe(f.expect.exitCode);
    if (f.expect.sloVerdicts) {
      expect(Object.fromEntries(d.slos.map((s) => [s.id, s.verdict]))).toEqual(
        f.expect.sloVerdicts,
      );
    }
    if (f.expect.reasonContains) {
      const all = [...d.reasons, ...d.slos.flatMap((s) => s.reasons)];
      expect(all.join('\n')).toContain(f.expect.reasonContains);
    }
  });
});

describe('decideGate details', () => {
  it('computes SLI and release burn from the recorded ratios', () => {
    const d = decideGate(
      {
        reachable: true,
        slos: [
          {
            id: 'a',
            service: 's',
            slo: 'a',
            objective: 0.99,
            budgetRemaining: 0.5,
            periodErrorRatio: 0.005,
            releaseErrorRatio: 0.015,
          },
        ],
        firingPageAlerts: [],
      },
      DEFAULT_POLICY,
    );
    expect(d.slos[0]).toMatchObject({
      objective: 0.99,
      sli: 0.995,
      budgetRemaining: 0.5,
      verdict: 'pass',
    });
    expect(d.slos[0]?.releaseBurn).toBeCloseTo(1.5, 10);
  });

  it('treats any error under a 100% objective as an infinite burn', () => {
    const d = decideGate(
      {
        reachable: true,
        slos: [
          {
            id: 'a',
            service: 's',
            slo: 'a',
            objective: 1,
            budgetRemaining: 1,
            releaseErrorRatio: 0.0001,
          },
        ],
        firingPageAlerts: [],
      },
      DEFAULT_POLICY,
    );
    expect(d.slos[0]?.releaseBurn).toBe(Infinity);
    expect(d.verdict).toBe('breach');
  });

  it('prints a table with SLO, objective, SLI, budget left, burn and verdict', () => {
    const [, f] = fixtures.find(([n]) => n === 'budget-below-threshold-breaches')!;
    const text = formatTable(decideGate(f.input, DEFAULT_POLICY));
    const lines = text.split('\n');
    expect(lines[0]).toMatch(
      /^SLO\s+OBJECTIVE\s+SLI \(30d\)\s+BUDGET LEFT\s+BURN \(1h\)\s+VERDICT$/,
    );
    expect(text).toMatch(
      /dhakacart-checkout-availability\s+99\.900%\s+99\.990%\s+20\.0%\s+0\.50x\s+BREACH/,
    );
    expect(text).toContain('Gate: BREACH (exit 1)');
  });
});
