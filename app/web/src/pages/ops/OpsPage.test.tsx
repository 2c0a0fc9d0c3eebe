import { act, screen, within } from '@testing-library/react';
import { ApiError } from '../../api/client';
import type { OpsStatus, User } from '../../api/types';
import { AppRoutes } from '../../App';
import { admin, customer, fakeApi, renderWithApp } from '../../test-support/renderWithApp';
import OpsPage, { REFRESH_MS } from './OpsPage';

const T = 1_795_564_800;
const metric = (value: number | null, status: OpsStatus['overall'] = 'green') => ({
  value,
  status,
});

function board(over: Partial<OpsStatus> = {}): OpsStatus {
  return {
    generatedAt: '2026-11-25T00:00:00.000Z',
    overall: 'red',
    spark: { windowSeconds: 3600, stepSeconds: 60 },
    slos: [
      {
        id: 'dhakacart-checkout-availability',
        service: 'dhakacart',
        slo: 'checkout-availability',
        objective: 0.999,
        sli30d: 0.9985,
        budgetRemaining: 0.12,
        burnRates: { '5m': 20.5, '1h': 15.2, '6h': 3, '1d': 1, '3d': 0.5 },
        status: 'red',
        reasons: ['page alert CheckoutAvailabilityBudgetBurn is firing'],
        spark: [
          [T - 120, 1],
          [T - 60, 8],
          [T, 20.5],
        ],
      },
      {
        id: 'dhakacart-browse-availability',
        service: 'dhakacart',
        slo: 'browse-availability',
        objective: 0.999,
        sli30d: 0.9999,
        budgetRemaining: 0.93,
        burnRates: { '5m': 0.1, '1h': 0.2, '6h': null, '1d': null, '3d': null },
        status: 'green',
        reasons: [],
        spark: [],
      },
    ],
    services: [
      {
        name: 'api',
        replicas: { healthy: 2, targets: 3, running: null, desired: null },
        errorRatio: metric(0.02, 'red'),
        p95Seconds: metric(0.12),
        cpuOfLimit: metric(null, 'unknown'),
        memoryOfLimit: metric(null, 'unknown'),
        cpuCores: 0.25,
        memoryBytes: 150 * 1024 * 1024,
        status: 'red',
        reasons: ['1 of 3 targets down', 'error ratio is red'],
        spark: {
          rps: [
            [T - 60, 40],
            [T, 42],
          ],
          cpu: [],
        },
      },
    ],
    disk: [{ instance: 'node-1', freeRatio: 0.2, status: 'yellow' }],
    alerts: [
      {
        name: 'CheckoutAvailabilityBudgetBurn',
        severity: 'page',
        since: '2026-11-25T00:00:00Z',
        summary: 'checkout requests are failing',
        runbook: 'docs/runbooks/CheckoutAvailabilityBudgetBurn.md',
        target: 'dhakacart-checkout-availability',
      },
    ],
    loadRun: {
      status: 'red',
      reasons: ['checkout errors 0.50% > 0.10%'],
      testid: 'gameday-2026-11-24T23-50',
      running: true,
      startedAt: '2026-11-24T23:50:00.000Z',
      lastPushAt: '2026-11-24T23:59:56.000Z',
      visitors: 150,
      requestsPerSecond: 41.5,
      p99Seconds: metric(0.18),
      requests: 13200,
      errors: 11,
      errorRatio: metric(11 / 13200, 'red'),
      journeys: [
        { sli: 'browse', requests: 11000, errors: 0, errorRatio: metric(0), maxErrorRate: 0.001 },
        {
          sli: 'checkout',
          requests: 2200,
          errors: 11,
          errorRatio: metric(0.005, 'red'),
          maxErrorRate: 0.001,
        },
      ],
      spark: {
        rps: [
          [T - 10, 20],
          [T - 5, 30],
          [T, 41.5],
        ],
        p99: [
          [T - 10, 0.1],
          [T, 0.18],
        ],
      },
    },
    gameday: {
      status: 'red',
      reasons: ['the last game day failed: 1 of 2 experiments (zone-loss)'],
      lastRunAt: '2026-11-24T22:00:00.000Z',
      profile: 'quick',
      passed: false,
      budgetBurned: 0.042,
      experiments: [
        {
          name: 'api-kill',
          passed: true,
          status: 'green',
          budgetBurned: 0.002,
          recoverySeconds: 25,
        },
        {
          name: 'zone-loss',
          passed: false,
          status: 'red',
          budgetBurned: 0.04,
          recoverySeconds: null,
        },
      ],
    },
    logs: {
      status: 'yellow',
      reasons: ['3 error line(s) in the last full minute (api)'],
      windowMinutes: 30,
      services: [
        {
          service: 'api',
          lastMinute: 3,
          status: 'yellow',
          spark: [
            [T - 120, 0],
            [T - 60, 1],
            [T, 3],
          ],
        },
        { service: 'pg1', lastMinute: 0, status: 'green', spark: [[T, 0]] },
      ],
      topErrors: [
        { service: 'api', message: 'payment provider timed out', count: 3 },
        { service: 'pg1', message: 'FATAL:  the database system is shutting down', count: 1 },
      ],
    },
    ...over,
  };
}

const NO_RUN = 'no load run recorded (no dhakacart_load_* series from the Pushgateway)';
const NO_GAMEDAY = 'no game day recorded (no dhakacart_gameday_* series from the Pushgateway)';
const NO_LOGS = 'no log store configured (LOGS_URL is unset)';

const tile = (name: string) => screen.getByRole('listitem', { name: new RegExp(`^${name}: `) });

describe('ops status board', () => {
  afterEach(() => jest.useRealTimers());

  it('shows coloured SLO, service and disk tiles with budget, burn rates, sparklines and firing alerts', async () => {
    renderWithApp(<OpsPage />, {
      api: fakeApi({ opsStatus: async () => board() }, admin),
      route: '/ops',
    });
    await screen.findByRole('heading', { name: 'Service level objectives' });

    const checkout = tile('Checkout availability');
    expect(checkout).toHaveAccessibleName('Checkout availability: Critical');
    expect(checkout).toHaveClass('status-red');
    expect(within(checkout).getByText('12.0%')).toBeInTheDocument();
    expect(within(checkout).getByText('99.9%')).toBeInTheDocument();
    expect(within(checkout).getByText('99.85%')).toBeInTheDocument();
    expect(within(checkout).getByText('21×')).toBeInTheDocument();
    expect(within(checkout).getByRole('meter', { name: /Error budget left/ })).toHaveAttribute(
      'value',
      '0.12',
    );
    const spark = within(checkout).getByRole('img', {
      name: /Burn rate \(5m\), last hour: now 21×/,
    });
    expect(spark.querySelector('polyline')?.getAttribute('points')).toMatch(
      /^0,[\d.]+ 60,[\d.]+ 120,1$/,
    );
    expect(
      within(checkout).getByText('page alert CheckoutAvailabilityBudgetBurn is firing'),
    ).toBeInTheDocument();

    const browse = tile('Browse availability');
    expect(browse).toHaveClass('status-green');
    expect(within(browse).getByText('OK')).toBeInTheDocument();
    expect(within(browse).getByText(/no data yet/)).toBeInTheDocument();

    const api = tile('api');
    expect(api).toHaveClass('status-red');
    expect(within(api).getByText('2/3 up')).toBeInTheDocument();
    expect(within(api).getByText('120 ms')).toBeInTheDocument();
    expect(within(api).getByText('2.00%').closest('.ops-figure')).toHaveClass('status-red');
    expect(within(api).getByText('150 MiB')).toBeInTheDocument();
    expect(within(api).getByRole('img', { name: /Requests\/s/ })).toBeInTheDocument();

    expect(tile('Disk node-1')).toHaveClass('status-yellow');
    expect(screen.getByRole('heading', { name: 'Firing alerts (1)' })).toBeInTheDocument();
    expect(screen.getByText('CheckoutAvailabilityBudgetBurn')).toBeInTheDocument();
    expect(screen.getByText('docs/runbooks/CheckoutAvailabilityBudgetBurn.md')).toBeInTheDocument();
    // No inline style anywhere: the CSP (style-src 'self') would block it.
    expect(document.querySelector('[style]')).toBeNull();
  });

  it('shows the load run, the last game day and the error lines, coloured, with their pictures', async () => {
    renderWithApp(<OpsPage />, {
      api: fakeApi({ opsStatus: async () => board() }, admin),
      route: '/ops',
    });
    await screen.findByRole('heading', { name: 'Load, game day and logs' });

    const run = tile('Load run');
    expect(run).toHaveAccessibleName('Load run: Critical');
    expect(run).toHaveClass('status-red');
    expect(within(run).getByText('gameday-2026-11-24T23-50')).toBeInTheDocument();
    expect(within(run).getByText('running now')).toBeInTheDocument();
    expect(within(run).getByText('150')).toBeInTheDocument();
    expect(within(run).getByText('41.5/s')).toBeInTheDocument();
    expect(within(run).getByText('180 ms').closest('.ops-figure')).toHaveClass('status-green');
    expect(within(run).getByText('0.08% (11 of 13,200)').closest('.ops-figure')).toHaveClass(
      'status-red',
    );
    expect(within(run).getByText('0.50%').closest('.ops-figure')).toHaveClass('status-red');
    expect(within(run).getByText('checkout errors (max 0.1%)')).toBeInTheDocument();
    expect(within(run).getByText('checkout errors 0.50% > 0.10%')).toBeInTheDocument();
    const rps = within(run).getByRole('img', { name: /^Requests\/s over the run: now 41\.5\/s/ });
    expect(rps.querySelector('polyline')?.getAttribute('points')).toMatch(
      /^0,[\d.]+ 60,[\d.]+ 120,1$/,
    );
    expect(
      within(run).getByRole('img', { name: /^p99 over the run: now 180 ms/ }),
    ).toBeInTheDocument();

    const gameday = tile('Game day');
    expect(gameday).toHaveClass('status-red');
    expect(
      within(gameday).getByText('Failed', { selector: 'dd' }).closest('.ops-figure'),
    ).toHaveClass('status-red');
    expect(within(gameday).getByText('quick')).toBeInTheDocument();
    expect(within(gameday).getByText('4.20%')).toBeInTheDocument();
    const experiments = within(
      within(gameday).getByRole('list', { name: 'Experiments' }),
    ).getAllByRole('listitem');
    expect(experiments.map((li) => li.textContent)).toEqual([
      'Passed api-kill: burned 0.20%, recovered in 25 s',
      'Failed zone-loss: burned 4.00%, never recovered',
    ]);
    expect(experiments[1]).toHaveClass('status-red');
    expect(
      within(gameday).getByText('the last game day failed: 1 of 2 experiments (zone-loss)'),
    ).toBeInTheDocument();

    const logs = tile('Logs');
    expect(logs).toHaveClass('status-yellow');
    const perService = within(
      within(logs).getByRole('list', { name: 'Error lines per service' }),
    ).getAllByRole('listitem');
    expect(perService.map((li) => li.className)).toEqual([
      'ops-list-item status-yellow',
      'ops-list-item status-green',
    ]);
    expect(
      within(perService[0]!).getByRole('img', {
        name: 'api error lines per minute, last 30 min: now 3, highest 3, lowest 0',
      }),
    ).toBeInTheDocument();
    expect(
      within(logs).getByRole('heading', { name: 'Top errors, last 30 min' }),
    ).toBeInTheDocument();
    expect(within(logs).getByText('payment provider timed out')).toBeInTheDocument();
    expect(
      within(logs).getByText('3 error line(s) in the last full minute (api)'),
    ).toBeInTheDocument();
    expect(document.querySelector('[style]')).toBeNull();
  });

  it('shows each of the three tiles as No data with its one-line reason, and an ended run as ended', async () => {
    const unknownRun = {
      ...board().loadRun,
      status: 'unknown' as const,
      reasons: [NO_RUN],
      testid: null,
    };
    renderWithApp(<OpsPage />, {
      api: fakeApi(
        {
          opsStatus: async () =>
            board({
              loadRun: unknownRun,
              gameday: {
                status: 'unknown',
                reasons: [NO_GAMEDAY],
                lastRunAt: null,
                profile: null,
                passed: null,
                budgetBurned: null,
                experiments: [],
              },
              logs: {
                status: 'unknown',
                reasons: [NO_LOGS],
                windowMinutes: null,
                services: [],
                topErrors: [],
              },
            }),
        },
        admin,
      ),
      route: '/ops',
    });
    await screen.findByRole('heading', { name: 'Load, game day and logs' });
    for (const [name, reason] of [
      ['Load run', NO_RUN],
      ['Game day', NO_GAMEDAY],
      ['Logs', NO_LOGS],
    ] as const) {
      const t = tile(name);
      expect(t).toHaveAccessibleName(`${name}: No data`);
      expect(t).toHaveClass('status-unknown');
      expect(within(t).getByText(reason)).toBeInTheDocument();
      expect(within(t).queryByRole('img')).toBeNull();
      expect(within(t).queryByRole('definition')).toBeNull();
    }
  });

  it('says when a load run ended', async () => {
    const ended = { ...board().loadRun, running: false };
    renderWithApp(<OpsPage />, {
      api: fakeApi({ opsStatus: async () => board({ loadRun: ended }) }, admin),
      route: '/ops',
    });
    const run = await screen.findByRole('listitem', { name: /^Load run: / });
    expect(within(run).queryByText('running now')).toBeNull();
    expect(within(run).getByText(/^ended \d{1,2} \w{3} 2026, \d{2}:\d{2}$/)).toBeInTheDocument();
  });

  it('refreshes every 15 s on its own, and a failed refresh keeps the last board with a warning', async () => {
    jest.useFakeTimers();
    const answers: (() => Promise<OpsStatus>)[] = [
      async () => board(),
      async () => board({ overall: 'green', alerts: [] }),
      async () => {
        throw new ApiError(
          'unavailable',
          503,
          'prometheus_unreachable',
          'Prometheus did not answer',
        );
      },
    ];
    let calls = 0;
    const opsStatus = jest.fn((): Promise<OpsStatus> => answers[Math.min(calls++, 2)]!());
    renderWithApp(<OpsPage />, { api: fakeApi({ opsStatus }, admin), route: '/ops' });
    await screen.findByRole('heading', { name: 'Firing alerts (1)' });
    expect(opsStatus).toHaveBeenCalledTimes(1);

    await act(async () => {
      jest.advanceTimersByTime(REFRESH_MS - 1);
    });
    expect(opsStatus).toHaveBeenCalledTimes(1);
    await act(async () => {
      jest.advanceTimersByTime(1);
    });
    await screen.findByRole('heading', { name: 'Firing alerts (0)' });
    expect(screen.getByText('No alerts firing.')).toBeInTheDocument();
    expect(opsStatus).toHaveBeenCalledTimes(2);

    await act(async () => {
      jest.advanceTimersByTime(REFRESH_MS);
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not refresh (Prometheus did not answer); showing the last good data.',
    );
    expect(screen.getByRole('heading', { name: 'Service level objectives' })).toBeInTheDocument();
  });

  it('says there is no monitoring data, in the API own words, when Prometheus is unset or down', async () => {
    const opsStatus = jest.fn(async (): Promise<OpsStatus> => {
      throw new ApiError(
        'unavailable',
        503,
        'ops_unavailable',
        'the ops board has no Prometheus configured',
      );
    });
    renderWithApp(<OpsPage />, { api: fakeApi({ opsStatus }, admin), route: '/ops' });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('No monitoring data');
    expect(alert).toHaveTextContent('the ops board has no Prometheus configured');
    expect(within(alert).getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('is open to staff through the app routes, and refused to a customer without asking the API', async () => {
    const staff: User = { id: 's1', email: 'staff@example.com', name: 'Staff', role: 'staff' };
    const first = renderWithApp(<AppRoutes />, {
      api: fakeApi({ opsStatus: async () => board(), categories: async () => [] }, staff),
      route: '/ops',
    });
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Ops status' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Ops' })).toBeInTheDocument();
    first.unmount();

    const opsStatus = jest.fn(async () => board());
    renderWithApp(<AppRoutes />, {
      api: fakeApi({ opsStatus, categories: async () => [] }, customer),
      route: '/ops',
    });
    expect(await screen.findByRole('heading', { name: 'Access denied' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Ops' })).not.toBeInTheDocument();
    expect(opsStatus).not.toHaveBeenCalled();
  });
});
