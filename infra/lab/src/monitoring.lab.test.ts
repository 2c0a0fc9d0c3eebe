import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clearSink, sinkReceived, type SinkRecord } from '@dhakacart/lab-client';
import { CA_CERT, OPS_CREDENTIALS, PROMETHEUS_URL, REPO_ROOT, STACK } from './paths';
import {
  activeTargets,
  alertmanagerAlerts,
  instant,
  postAlerts,
  ruleGroups,
  type ScrapeTarget,
} from '@dhakacart/lab-client';
import { must, sleep } from '@dhakacart/lab-client';
import { touchEveryJourney } from '@dhakacart/loadtests';

// Against the RUNNING lab (`npm run lab`): Prometheus and Alertmanager through the edge at
// https://127.0.0.1:9090/9093 with the operators' credentials, the sink read inside its container.

const SLO_RULES = join(REPO_ROOT, 'slo', 'generated', 'slo-rules.yaml');

/** Scrape jobs found through Swarm DNS, and the services whose replicas each should list. */
const DNS_JOBS: Record<string, string[]> = {
  api: ['api'],
  edge: ['edge'],
  node: ['node-exporter'],
  postgres: ['postgres-exporter-pg1', 'postgres-exporter-pg2', 'postgres-exporter-pg3'],
  patroni: ['pg1', 'pg2', 'pg3'],
  pgrouter: ['pgrouter'],
  'redis-exporter': ['redis-exporter'],
  'blackbox-exporter': ['blackbox-exporter'],
  alertmanager: ['alertmanager'],
  pushgateway: ['pushgateway'],
};
/** Jobs with fixed targets (prometheus.yml), by count. */
const STATIC_JOBS: Record<string, number> = {
  redis: 2,
  'redis-sentinel': 3,
  blackbox: 2,
  prometheus: 1,
};

async function desiredReplicas(service: string): Promise<number> {
  const out = await must('docker', [
    'service',
    'inspect',
    `${STACK}_${service}`,
    '--format',
    '{{if .Spec.Mode.Replicated}}{{.Spec.Mode.Replicated.Replicas}}{{else}}1{{end}}',
  ]);
  return Number(out.trim());
}

async function poll<T>(
  what: string,
  timeoutMs: number,
  get: () => Promise<T>,
  ok: (v: T) => boolean,
) {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    try {
      last = await get();
      if (ok(last)) return last;
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
    if (Date.now() > deadline) return last as T;
    await sleep(3000);
  }
}

const sloIds = () => [
  ...new Set([...readFileSync(SLO_RULES, 'utf8').matchAll(/sloth_id: (\S+)/g)].map((m) => m[1]!)),
];

describe('lab monitoring (running lab)', () => {
  test('every scrape target is up, and DNS discovery lists every replica', async () => {
    const expected = new Map<string, number>(Object.entries(STATIC_JOBS));
    for (const [job, services] of Object.entries(DNS_JOBS)) {
      let n = 0;
      for (const s of services) n += await desiredReplicas(s);
      expected.set(job, n);
    }
    const summarise = (ts: ScrapeTarget[]) => {
      const byJob: Record<string, { up: number; total: number; errors: string[] }> = {};
      for (const t of ts) {
        const j = (byJob[t.job] ??= { up: 0, total: 0, errors: [] });
        j.total++;
        if (t.health === 'up') j.up++;
        else j.errors.push(`${t.instance}: ${t.health} ${t.lastError}`);
      }
      return byJob;
    };
    const allUp = (ts: ScrapeTarget[]) => {
      const s = summarise(ts);
      return [...expected].every(([job, n]) => s[job]?.total === n && s[job]?.up === n);
    };
    // Freshly deployed or replaced targets need a scrape or two.
    const targets = await poll('targets', 120_000, () => activeTargets(), allUp);
    const got = summarise(targets);
    const want = Object.fromEntries(
      [...expected].map(([job, n]) => [job, { up: n, total: n, errors: [] }]),
    );
    expect(Object.fromEntries([...expected.keys()].map((j) => [j, got[j]]))).toEqual(want);
  });

  test('the edge is scraped for its backends, without the per-server slots', async () => {
    // The SLIs read haproxy_backend_*; the server templates' slots were two thirds of the
    // edge's series at every 5 s scrape (ADR 0206).
    // Only series scraped in the last 15 s: a Prometheus restarted with a new configuration
    // keeps the old process's series for the 5-minute lookback.
    const count = async (q: string) =>
      (await instant(`count(count_over_time(${q}[15s]))`))[0]?.value ?? 0;
    const backends = await poll(
      'edge backend series',
      60_000,
      () => count('haproxy_backend_http_responses_total{job="edge"}'),
      (n) => n > 0,
    );
    expect(backends).toBeGreaterThan(0);
    expect(await count('{job="edge",__name__=~"haproxy_server_.+"}')).toBe(0);
  });

  test('Prometheus loaded the SLO rules, the release rules and the infrastructure alerts', async () => {
    const groups = await ruleGroups();
    const files = new Set(groups.map((g) => g.file.split('/').pop()));
    expect(files).toEqual(new Set(['slo-rules.yaml', 'infra-alerts.yaml', 'release.yaml']));
    const alerts = groups.flatMap((g) => g.rules.filter((r) => r.type === 'alerting'));
    expect(alerts.map((a) => a.name)).toEqual(
      expect.arrayContaining(['BlackboxProbeFailed', 'PostgresNoLeader', 'RedisNoPrimary']),
    );
  });

  test('the SLO recording rules produce series for the api', async () => {
    const traffic = await touchEveryJourney(5);
    expect(traffic.filter((t) => / 5\d\d$/.test(t))).toEqual([]);
    const ids = sloIds();
    expect(ids.length).toBeGreaterThan(0);
    // Metadata recordings exist for every SLO whatever the traffic.
    const objectives = await instant('slo:objective:ratio{sloth_service="dhakacart"}');
    expect(new Set(objectives.map((s) => s.metric.sloth_id))).toEqual(new Set(ids));
    // The SLIs need the api's counters: two scrapes and an evaluation after the traffic.
    const query = 'slo:sli_error:ratio_rate5m{sloth_id="dhakacart-browse-availability"}';
    const sli = await poll(
      'browse SLI',
      90_000,
      () => instant(query),
      (r) => r.length > 0,
    );
    expect(sli).toHaveLength(1);
    expect(sli[0]!.value).toBeGreaterThanOrEqual(0);
    expect(sli[0]!.value).toBeLessThanOrEqual(1);
    expect(sli[0]!.metric).toMatchObject({ sloth_service: 'dhakacart', sloth_window: '5m' });
    // Every SLO's 5m SLI is computed (the counters of every journey exist).
    const all = await poll(
      'every SLI',
      90_000,
      () => instant('slo:sli_error:ratio_rate5m{sloth_service="dhakacart"}'),
      (r) => r.length === ids.length,
    );
    expect(new Set(all.map((s) => s.metric.sloth_id))).toEqual(new Set(ids));
  });

  test('the error-budget gate judges the lab with a verdict (exit 0 or 1) and --json parses', async () => {
    // What the gate reads appears one rule evaluation after the SLIs: the period budget and the
    // release window's ratio, for every SLO. The budget follows the 30d window, evaluated once a
    // minute from an offset of up to a minute after Prometheus starts.
    const ids = sloIds();
    for (const q of [
      'slo:period_error_budget_remaining:ratio{sloth_service="dhakacart"}',
      'slo:sli_error:ratio_rate1h{sloth_service="dhakacart"}',
    ])
      await poll(
        q,
        150_000,
        () => instant(q),
        (r) => r.length === ids.length,
      );
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(
        join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
        [
          join(REPO_ROOT, 'slo', 'src', 'cli.ts'),
          'gate',
          '--prometheus',
          PROMETHEUS_URL,
          '--ca-file',
          CA_CERT,
          '--credentials',
          OPS_CREDENTIALS,
          '--json',
        ],
        { timeout: 60_000 },
        (err, stdout, stderr) =>
          resolve({
            code: err ? (typeof err.code === 'number' ? err.code : -1) : 0,
            stdout,
            stderr,
          }),
      ),
    );
    const decision = JSON.parse(run.stdout) as {
      verdict: string;
      exitCode: number;
      slos: { id: string; verdict: string; reasons: string[] }[];
    };
    // Undecidable (2) would mean no data: the lab's Prometheus must give the gate enough.
    const undecided = decision.slos.filter((x) => x.verdict === 'undecidable');
    expect({ code: run.code, verdict: decision.verdict, undecided }).toEqual({
      code: decision.exitCode,
      verdict: expect.stringMatching(/^(pass|breach)$/),
      undecided: [],
    });
    expect([0, 1]).toContain(run.code);
    expect(new Set(decision.slos.map((s) => s.id))).toEqual(new Set(ids));
  });

  describe('a ticket reaches the email sink over SMTP with the secret credentials', () => {
    const alertname = `LabMonitoringTicketCheck${Date.now().toString(36)}`;
    const alert = (endsAt?: string) => ({
      labels: { alertname, severity: 'ticket' },
      annotations: { summary: 'lab monitoring test ticket', runbook_url: 'docs/lab/monitoring.md' },
      ...(endsAt ? { endsAt } : {}),
    });
    afterAll(async () => {
      // Resolve it so it does not linger in Alertmanager.
      await postAlerts([alert(new Date().toISOString())]).catch(() => undefined);
    });

    test('posted to Alertmanager, it arrives as an authenticated email', async () => {
      await clearSink();
      await postAlerts([alert()]);
      const t0 = Date.now();
      const mine = (r: SinkRecord[]) => r.filter((m) => m.mail?.subject.includes(alertname));
      // Tickets wait group_wait (30 s) so related alerts share one email.
      const mails = mine(
        await poll(
          'email',
          120_000,
          () => sinkReceived('email'),
          (r) => mine(r).length > 0,
        ),
      );
      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatchObject({
        authorized: true,
        mail: { to: ['oncall-tickets@dhakacart.test'], authUser: 'alertmanager' },
      });
      expect(Date.now() - t0).toBeLessThan(120_000);
      const held = await alertmanagerAlerts();
      expect(held.some((a) => a.labels.alertname === alertname)).toBe(true);
    });
  });
});
