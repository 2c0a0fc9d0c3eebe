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
    ...over,
  };
}

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
