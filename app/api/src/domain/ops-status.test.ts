import { DEFAULT_POLICY } from '@dhakacart/slo';
import type { PromAlert, Sample } from '../ops/prometheus';
import { INSTANT_QUERIES, RANGE_QUERIES, type OpsObservation } from '../ops/queries';
import { buildOpsStatus, higherIsWorse, lowerIsWorse, THRESHOLDS, worst } from './ops-status';

const AT = 1_764_028_800; // 2025-11-25T00:00:00Z
const SPARK = { windowSeconds: 3600, stepSeconds: 60 };
const CHECKOUT = 'dhakacart-checkout-availability';
const BROWSE = 'dhakacart-browse-availability';

const s = (labels: Record<string, string>, value: number): Sample => ({ labels, value });

/** An observation with no data at all; tests fill in what they are about. */
function empty(): OpsObservation {
  return {
    at: AT,
    instant: Object.fromEntries(Object.keys(INSTANT_QUERIES).map((k) => [k, []])) as never,
    range: Object.fromEntries(Object.keys(RANGE_QUERIES).map((k) => [k, []])) as never,
    alerts: [],
    loadRun: { ok: true, value: null },
    gameday: { ok: true, value: [] },
  };
}

function withSlo(o: OpsObservation, id: string, budget: number, burn5m = 0.2): OpsObservation {
  const l = { sloth_id: id, sloth_service: 'dhakacart', sloth_slo: id.replace('dhakacart-', '') };
  o.instant.sloObjective.push(s(l, 0.999));
  o.instant.sloErrorRatio30d.push(s(l, 0.0004));
  o.instant.sloBudgetRemaining.push(s(l, budget));
  o.instant.sloBurnRates.push(
    s({ ...l, sloth_window: '5m' }, burn5m),
    s({ ...l, sloth_window: '1h' }, 0.3),
  );
  o.range.sloBurnRate.push({
    labels: l,
    points: [
      [AT - 60, 0.1],
      [AT, burn5m],
    ],
  });
  return o;
}

function withApi(o: OpsObservation, up = 3, total = 3): OpsObservation {
  const j = { job: 'api' };
  o.instant.targetsUp.push(s(j, up));
  o.instant.targetsTotal.push(s(j, total));
  o.instant.errorRatio5m.push(s(j, 0.0002));
  o.instant.p95Seconds.push(s(j, 0.08));
  o.instant.cpuCores.push(s(j, 0.12));
  o.instant.memoryBytes.push(s(j, 150e6));
  o.range.serviceRps.push({ labels: j, points: [[AT, 42]] });
  return o;
}

const alert = (labels: Record<string, string>, summary = 's'): PromAlert => ({
  labels,
  annotations: { summary, runbook_url: `docs/runbooks/${labels.alertname}.md` },
  state: 'firing',
  activeAt: '2026-11-25T00:00:00Z',
});

describe('threshold bands', () => {
  test('higher-is-worse and lower-is-worse change colour exactly at the thresholds', () => {
    const band = { yellow: 0.3, red: 1 };
    expect([0.29, 0.3, 0.99, 1, null].map((v) => higherIsWorse(v, band))).toEqual([
      'green',
      'yellow',
      'yellow',
      'red',
      'unknown',
    ]);
    const free = { red: 0.1, yellow: 0.25 };
    expect([0.09, 0.1, 0.24, 0.25, null].map((v) => lowerIsWorse(v, free))).toEqual([
      'red',
      'yellow',
      'yellow',
      'green',
      'unknown',
    ]);
    expect(worst('green', 'red', 'yellow')).toBe('red');
    expect(worst('unknown', 'green')).toBe('green');
    expect(worst()).toBe('unknown');
  });

  test('the board turns red where the error-budget gate breaches', () => {
    expect(THRESHOLDS.budgetRemaining.red).toBe(DEFAULT_POLICY.minBudgetRemaining);
  });
});

describe('SLO tiles', () => {
  test('a healthy SLO is green with objective, SLI, budget, burn rates and a sparkline', () => {
    const st = buildOpsStatus(withSlo(empty(), CHECKOUT, 0.93), SPARK);
    expect(st.slos).toEqual([
      {
        id: CHECKOUT,
        service: 'dhakacart',
        slo: 'checkout-availability',
        objective: 0.999,
        sli30d: 1 - 0.0004,
        budgetRemaining: 0.93,
        burnRates: { '5m': 0.2, '1h': 0.3, '6h': null, '1d': null, '3d': null },
        status: 'green',
        reasons: [],
        spark: [
          [AT - 60, 0.1],
          [AT, 0.2],
        ],
      },
    ]);
    expect(st.overall).toBe('green');
    expect(st.generatedAt).toBe('2025-11-25T00:00:00.000Z');
  });

  test('budget under half is yellow, under the gate threshold red, and a fast burn is yellow', () => {
    const o = withSlo(withSlo(withSlo(empty(), 'a', 0.4), 'b', 0.2), 'c', 0.9, 2.5);
    const st = buildOpsStatus(o, SPARK);
    expect(st.slos.map((t) => [t.id, t.status, t.reasons])).toEqual([
      ['a', 'yellow', ['error budget left 40.0% < 50.0%']],
      ['b', 'red', ['error budget left 20.0% < 25.0%']],
      ['c', 'yellow', ['burning 2.50x the sustainable rate (5m)']],
    ]);
    expect(st.overall).toBe('red');
  });

  test('a firing page alert turns its own SLO red and leaves the others alone', () => {
    const o = withSlo(withSlo(empty(), CHECKOUT, 0.9), BROWSE, 0.9);
    o.alerts.push(
      alert({
        alertname: 'CheckoutAvailabilityBudgetBurn',
        sloth_id: CHECKOUT,
        sloth_severity: 'page',
        severity: 'page',
      }),
      // Pending alerts are not firing: they colour nothing and are not listed.
      {
        ...alert({ alertname: 'BrowseAvailabilityBudgetBurn', sloth_id: BROWSE, severity: 'page' }),
        state: 'pending',
      },
    );
    const st = buildOpsStatus(o, SPARK);
    const byId = Object.fromEntries(st.slos.map((t) => [t.id, t]));
    expect(byId[CHECKOUT]!.status).toBe('red');
    expect(byId[CHECKOUT]!.reasons).toEqual([
      'page alert CheckoutAvailabilityBudgetBurn is firing',
    ]);
    expect(byId[BROWSE]!.status).toBe('green');
    expect(st.alerts).toEqual([
      {
        name: 'CheckoutAvailabilityBudgetBurn',
        severity: 'page',
        since: '2026-11-25T00:00:00Z',
        summary: 's',
        runbook: 'docs/runbooks/CheckoutAvailabilityBudgetBurn.md',
        target: CHECKOUT,
      },
    ]);
  });

  test('no budget figure is unknown, never green; NaN becomes null; series without an objective are ignored', () => {
    const o = withSlo(empty(), CHECKOUT, Number.NaN);
    o.instant.sloBudgetRemaining.push(s({ sloth_id: 'stray' }, 0.1));
    const st = buildOpsStatus(o, SPARK);
    expect(st.slos).toHaveLength(1);
    expect(st.slos[0]).toMatchObject({
      budgetRemaining: null,
      status: 'unknown',
      reasons: ['no data for the remaining error budget'],
    });
    expect(st.overall).toBe('unknown');
    expect(JSON.parse(JSON.stringify(st))).toEqual(st);
  });
});

describe('service tiles', () => {
  test('a healthy API is green with its figures; limits unknown without cAdvisor', () => {
    const st = buildOpsStatus(withApi(empty()), SPARK);
    expect(st.services).toEqual([
      {
        name: 'api',
        replicas: { healthy: 3, targets: 3, running: null, desired: null },
        errorRatio: { value: 0.0002, status: 'green' },
        p95Seconds: { value: 0.08, status: 'green' },
        cpuOfLimit: { value: null, status: 'unknown' },
        memoryOfLimit: { value: null, status: 'unknown' },
        cpuCores: 0.12,
        memoryBytes: 150e6,
        status: 'green',
        reasons: [],
        spark: { rps: [[AT, 42]], cpu: [] },
      },
    ]);
  });

  test('a replica down is yellow, all down is red, and Swarm replicas below desired are counted', () => {
    const o = withApi(empty(), 2, 3);
    o.instant.targetsUp.push(s({ job: 'edge' }, 0));
    o.instant.targetsTotal.push(s({ job: 'edge' }, 1));
    o.instant.replicasDesired.push(s({ service: 'dhakacart_api' }, 3));
    o.instant.replicasRunning.push(s({ service: 'dhakacart_api' }, 2));
    const st = buildOpsStatus(o, SPARK);
    expect(st.services.map((t) => [t.name, t.status, t.reasons])).toEqual([
      ['api', 'yellow', ['1 of 3 targets down', '2 of 3 replicas running']],
      ['edge', 'red', ['no healthy target (0 of 1 up)']],
    ]);
    expect(st.services[0]!.replicas).toEqual({ healthy: 2, targets: 3, running: 2, desired: 3 });
  });

  test('latency, errors, CPU and memory of limit colour the tile by the dashboard thresholds', () => {
    const o = withApi(empty());
    o.instant.p95Seconds[0]!.value = 0.45;
    o.instant.errorRatio5m[0]!.value = 0.02;
    o.instant.cpuOfLimit.push(s({ service: 'dhakacart_api' }, 0.75));
    o.instant.memoryOfLimit.push(s({ service: 'dhakacart_api' }, 0.95));
    const [api] = buildOpsStatus(o, SPARK).services;
    expect(api).toMatchObject({
      p95Seconds: { value: 0.45, status: 'yellow' },
      errorRatio: { value: 0.02, status: 'red' },
      cpuOfLimit: { value: 0.75, status: 'yellow' },
      memoryOfLimit: { value: 0.95, status: 'red' },
      status: 'red',
      reasons: [
        'error ratio is red',
        'p95 latency is yellow',
        'CPU of limit is yellow',
        'memory of limit is red',
      ],
    });
  });

  test("the edge's own 5xx colour the api tile when the api itself counts none", () => {
    const o = withApi(empty());
    o.instant.errorRatio5m[0]!.value = 0;
    o.instant.edgeErrorRatio5m.push(s({ job: 'api' }, 0.03));
    const [api] = buildOpsStatus(o, SPARK).services;
    expect(api).toMatchObject({
      errorRatio: { value: 0.03, status: 'red' },
      status: 'red',
      reasons: ['error ratio is red (at the edge)'],
    });
  });

  test("the api's own ratio stays when it is the worse one, and no edge data changes nothing", () => {
    const o = withApi(empty());
    o.instant.errorRatio5m[0]!.value = 0.005;
    o.instant.edgeErrorRatio5m.push(s({ job: 'api' }, 0.004));
    expect(buildOpsStatus(o, SPARK).services[0]).toMatchObject({
      errorRatio: { value: 0.005, status: 'yellow' },
      reasons: ['error ratio is yellow'],
    });
    o.instant.edgeErrorRatio5m = [];
    expect(buildOpsStatus(o, SPARK).services[0]!.errorRatio).toEqual({
      value: 0.005,
      status: 'yellow',
    });
  });

  test('an infrastructure alert colours the service it names: page red, ticket yellow', () => {
    const o = withApi(empty());
    o.instant.targetsUp.push(s({ job: 'postgres' }, 1));
    o.instant.targetsTotal.push(s({ job: 'postgres' }, 1));
    o.alerts.push(
      alert({ alertname: 'PostgresNoLeader', job: 'postgres', severity: 'page' }),
      alert({
        alertname: 'SwarmServiceReplicasMissing',
        service: 'dhakacart_api',
        severity: 'ticket',
      }),
    );
    o.instant.replicasDesired.push(s({ service: 'dhakacart_api' }, 3));
    const st = buildOpsStatus(o, SPARK);
    expect(st.services.map((t) => [t.name, t.status])).toEqual([
      ['api', 'yellow'],
      ['postgres', 'red'],
    ]);
    // Pages first. An alert no tile owns still colours the whole board.
    expect(st.overall).toBe('red');
    const unowned = withApi(empty());
    unowned.alerts.push(alert({ alertname: 'RedisNoPrimary', severity: 'page' }));
    expect(buildOpsStatus(unowned, SPARK).services[0]!.status).toBe('green');
    expect(buildOpsStatus(unowned, SPARK).overall).toBe('red');
    expect(st.alerts.map((a) => [a.name, a.severity, a.target])).toEqual([
      ['PostgresNoLeader', 'page', 'postgres'],
      ['SwarmServiceReplicasMissing', 'ticket', 'dhakacart_api'],
    ]);
  });
});

test('disk tiles are red under 10% free and yellow under 25%', () => {
  const o = empty();
  o.instant.diskFree.push(
    s({ instance: 'n2' }, 0.2),
    s({ instance: 'n1' }, 0.58),
    s({ instance: 'n3' }, 0.05),
  );
  expect(buildOpsStatus(o, SPARK).disk).toEqual([
    { instance: 'n1', freeRatio: 0.58, status: 'green' },
    { instance: 'n2', freeRatio: 0.2, status: 'yellow' },
    { instance: 'n3', freeRatio: 0.05, status: 'red' },
  ]);
});
