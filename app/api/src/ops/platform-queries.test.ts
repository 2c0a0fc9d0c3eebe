import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  freePort,
  httpOk,
  startProcess,
  waitFor,
  type RunningProcess,
} from '@dhakacart/slo/src/testing/processes';
import { buildOpsStatus } from '../domain/ops-status';
import { prometheusClient } from './prometheus';
import {
  INSTANT_QUERIES,
  instantQueries,
  GKE_EDGE_API,
  LAB_EDGE_API,
  PLATFORM_QUERIES,
  prometheusOpsSource,
  SPARK_STEP_SECONDS,
  SPARK_WINDOW_SECONDS,
} from './queries';
import { EDGE_SOURCES } from '@dhakacart/slo/src/spec/edge-sources';
import {
  CADVISOR,
  exposition,
  KUBE_STATE_METRICS,
  LOAD_BALANCER,
  openMetricsHistory,
} from './testdata/gke-series';

// The ops board's platform mapping against a real Prometheus (Debian's package) holding
// recorded GKE-shaped series: ten minutes of kube-state-metrics and kubelet cAdvisor history,
// as kube-prometheus-stack stores them (backfilled with promtool, so the fixed 5m rates are
// real), and a live `api` job like the store's ServiceMonitor makes.

const SWARM_SERIES = /swarm|container_label_com_docker_swarm/;

describe('the lab (swarm) mapping is unchanged', () => {
  it('is the default set and reads the Swarm exporter and cAdvisor Swarm labels', () => {
    expect(INSTANT_QUERIES).toEqual(instantQueries('swarm'));
    expect(PLATFORM_QUERIES.swarm).toEqual({
      replicasDesired: 'max by (service) (swarm_service_replicas_desired)',
      replicasRunning: 'max by (service) (swarm_service_replicas_running)',
      cpuOfLimit:
        'max by (service) (label_replace(sum by (name, container_label_com_docker_swarm_service_name) (rate(container_cpu_usage_seconds_total{name!=""}[5m])) / on (name, container_label_com_docker_swarm_service_name) (sum by (name, container_label_com_docker_swarm_service_name) (container_spec_cpu_quota{name!=""} > 0) / sum by (name, container_label_com_docker_swarm_service_name) (container_spec_cpu_period{name!=""})), "service", "$1", "container_label_com_docker_swarm_service_name", "(.+)"))',
      memoryOfLimit:
        'max by (service) (label_replace(container_memory_working_set_bytes{name!=""} / (container_spec_memory_limit_bytes{name!=""} > 0), "service", "$1", "container_label_com_docker_swarm_service_name", "(.+)"))',
      edgeErrorRatio5m:
        'label_replace((sum(rate(haproxy_backend_http_responses_total{job="edge",proxy=~"api|api_.+",code="5xx"}[5m])) or sum(rate(haproxy_backend_http_responses_total{job="edge",proxy=~"api|api_.+"}[5m])) * 0) / sum(rate(haproxy_backend_http_responses_total{job="edge",proxy=~"api|api_.+"}[5m])), "job", "api", "", "")',
    });
  });

  it('differs from GKE only in the platform queries, and GKE reads no Swarm series', () => {
    const swarm = instantQueries('swarm');
    const gke = instantQueries('gke');
    const differing = Object.keys(swarm).filter(
      (k) => swarm[k as keyof typeof swarm] !== gke[k as keyof typeof gke],
    );
    expect(differing.sort()).toEqual(Object.keys(PLATFORM_QUERIES.gke).sort());
    for (const q of Object.values(PLATFORM_QUERIES.gke)) expect(q).not.toMatch(SWARM_SERIES);
  });
});

describe("the board's edge error ratio reads the SLOs' own edge series", () => {
  // The board cannot import the SLO layer at run time (a dev dependency); this keeps them in step.
  const labelValues = (selector: string, label: string): string[] =>
    [...selector.matchAll(new RegExp(`${label}=~?"([^"]+)"`, 'g'))].map((m) => m[1]!);

  it('in the lab: the same HAProxy metric and 5xx class, every journey backend included', () => {
    const q = PLATFORM_QUERIES.swarm.edgeErrorRatio5m;
    expect(q).toContain(
      `${EDGE_SOURCES.lab.metric}{${LAB_EDGE_API},${EDGE_SOURCES.lab.errorMatcher}}`,
    );
    const proxies = new RegExp(`^(?:${labelValues(LAB_EDGE_API, 'proxy')[0]})$`);
    for (const sel of Object.values(EDGE_SOURCES.lab.journeys))
      expect(labelValues(sel, 'proxy').every((p) => proxies.test(p))).toBe(true);
    expect(proxies.test('web')).toBe(false);
  });

  it('on GKE: the same load-balancer metric and 5xx class, every journey rule under /api', () => {
    const q = PLATFORM_QUERIES.gke.edgeErrorRatio5m;
    expect(q).toContain(
      `${EDGE_SOURCES.gke.metric}{${GKE_EDGE_API},${EDGE_SOURCES.gke.errorMatcher}}`,
    );
    const underApi = new RegExp(`^(?:${labelValues(GKE_EDGE_API, 'matched_url_path_rule')[0]})$`);
    for (const rule of [
      '/api',
      '/api/products',
      '/api/products/*',
      '/api/categories',
      '/api/cart',
      '/api/orders',
    ])
      expect(underApi.test(rule)).toBe(true);
    expect(underApi.test('/')).toBe(false);
    expect(q).not.toMatch(SWARM_SERIES);
  });
});

describe('the GKE mapping against recorded kube-state-metrics, cAdvisor and load-balancer series', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-gke-'));
  let server: http.Server;
  let prom: RunningProcess;
  let promUrl: string;

  beforeAll(async () => {
    const now = Math.floor(Date.now() / 1000);
    const history = path.join(tmp, 'gke.om');
    fs.writeFileSync(
      history,
      openMetricsHistory(
        [...KUBE_STATE_METRICS, ...CADVISOR, ...LOAD_BALANCER],
        now - 600,
        now - 5,
        15,
      ),
    );
    execFileSync(
      'promtool',
      ['tsdb', 'create-blocks-from', 'openmetrics', '-q', history, path.join(tmp, 'data')],
      {
        timeout: 60000,
      },
    );
    const started = Date.now();
    const elapsed = () => (Date.now() - started) / 1000;
    const bodies: Record<string, () => string> = {
      // The api's own job (its ServiceMonitor): enough for a tile.
      '/api': () =>
        exposition(
          [
            { name: 'process_cpu_seconds_total', labels: {}, value: 0, perSecond: 0.3 },
            { name: 'process_resident_memory_bytes', labels: {}, value: 2e8 },
          ],
          elapsed(),
        ),
    };
    server = http.createServer((req, res) => {
      const body = bodies[req.url ?? ''];
      res.writeHead(body ? 200 : 404, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(body ? body() : '');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const target = `127.0.0.1:${(server.address() as { port: number }).port}`;
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    const job = (name: string, metricsPath: string) =>
      [
        `  - job_name: ${name}`,
        `    metrics_path: ${metricsPath}`,
        `    static_configs: [{ targets: ['${target}'] }]`,
      ].join('\n');
    const config = path.join(tmp, 'prometheus.yml');
    fs.writeFileSync(
      config,
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        'scrape_configs:',
        job('api', '/api'),
        '',
      ].join('\n'),
    );
    prom = startProcess('prometheus', [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(tmp, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ]);
    await waitFor('prometheus ready', () => httpOk(`${promUrl}/-/ready`), 60000).catch(
      (e: Error) => {
        throw new Error(`${e.message}\n${prom.output()}`);
      },
    );
    const client = prometheusClient(promUrl, 2000);
    await waitFor(
      'the backfilled history and the api job',
      async () => {
        const at = Date.now() / 1000;
        const [cpu, up] = await Promise.all([
          client.query(PLATFORM_QUERIES.gke.cpuOfLimit, at),
          client.query('up{job="api"}', at),
        ]);
        return cpu.length >= 2 && up.length === 1 ? true : undefined;
      },
      60000,
      500,
    );
  }, 120000);

  afterAll(async () => {
    await prom?.stop();
    await new Promise((r) => server?.close(r));
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const read = (platform: 'swarm' | 'gke') =>
    prometheusOpsSource(prometheusClient(promUrl, 5000), platform).read(Date.now() / 1000);
  const board = async (platform: 'swarm' | 'gke') =>
    buildOpsStatus(await read(platform), {
      windowSeconds: SPARK_WINDOW_SECONDS,
      stepSeconds: SPARK_STEP_SECONDS,
    });

  it('maps replicas per Deployment from kube-state-metrics', async () => {
    const o = await read('gke');
    const byService = (samples: { labels: Record<string, string>; value: number }[]) =>
      Object.fromEntries(samples.map((s) => [s.labels.service, s.value]));
    expect(byService(o.instant.replicasDesired)).toEqual({ api: 6, web: 3, 'kube-dns': 2 });
    expect(byService(o.instant.replicasRunning)).toEqual({ api: 5, web: 3, 'kube-dns': 2 });
  });

  it("maps each Deployment's busiest container against its limit, ignoring pod cgroups and pause containers", async () => {
    const o = await read('gke');
    const byService = (samples: { labels: Record<string, string>; value: number }[]) =>
      Object.fromEntries(samples.map((s) => [s.labels.service, s.value]));
    const cpu = byService(o.instant.cpuOfLimit);
    expect(Object.keys(cpu).sort()).toEqual(['api', 'api-migrate', 'web']);
    // rate() extrapolates to the window edge: within 0.05 of the recorded rate.
    expect(cpu.api).toBeCloseTo(0.75, 1);
    expect(cpu.web).toBeCloseTo(0.2, 1);
    const mem = byService(o.instant.memoryOfLimit);
    expect(mem.api).toBeCloseTo(0.75, 6);
    expect(mem.web).toBeCloseTo(0.5, 6);
    // The exporters' own `service` labels were replaced: no tile is named after them.
    expect(JSON.stringify([o.instant.replicasDesired, o.instant.cpuOfLimit])).not.toMatch(/kps-/);
  });

  it("reads the api's error ratio at the load balancer, the storefront's failures left out", async () => {
    const o = await read('gke');
    expect(o.instant.edgeErrorRatio5m.map((s) => s.labels)).toEqual([{ job: 'api' }]);
    expect(o.instant.edgeErrorRatio5m[0]!.value).toBeCloseTo(0.02, 3);
    const api = (await board('gke')).services.find((s) => s.name === 'api')!;
    expect(api.errorRatio.status).toBe('red');
    expect(api.reasons).toContain('error ratio is red (at the edge)');
    // The lab's mapping finds no HAProxy series here: no edge value on the api tile.
    expect((await read('swarm')).instant.edgeErrorRatio5m).toEqual([]);
  });

  it("fills the api tile's replicas and limits on GKE (the Swarm mapping leaves them empty)", async () => {
    const api = (await board('gke')).services.find((s) => s.name === 'api')!;
    expect(api.replicas).toMatchObject({ healthy: 1, targets: 1, running: 5, desired: 6 });
    expect(api.reasons).toContain('5 of 6 replicas running');
    expect(api.cpuOfLimit.status).toBe('yellow');
    expect(api.cpuOfLimit.value).toBeCloseTo(0.75, 1);
    expect(api.memoryOfLimit).toMatchObject({ status: 'yellow' });
    // Red, not yellow: the load balancer's 2% 5xx on the api (the test above).
    expect(api.status).toBe('red');

    const onSwarm = (await board('swarm')).services.find((s) => s.name === 'api')!;
    expect(onSwarm.replicas).toMatchObject({ running: null, desired: null });
    expect(onSwarm.cpuOfLimit).toEqual({ value: null, status: 'unknown' });
    expect(onSwarm.memoryOfLimit).toEqual({ value: null, status: 'unknown' });
  });
});
