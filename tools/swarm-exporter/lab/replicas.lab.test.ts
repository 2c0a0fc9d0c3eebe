import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { instant } from '@dhakacart/lab-client';
import { dockerApi } from '../src/docker-api';
import { startExporter, type RunningExporter } from '../src/server';

// Against the RUNNING lab (`npm run lab`) and the host's Docker engine: dhakacart_web is scaled
// 2 -> 1 -> 2 (restored in afterAll). The exporter runs in-process on the host socket for the
// exact transitions; Prometheus (through the edge, with the operators' credentials: lab-client)
// must see the deployed exporter's series follow. The scale-down lasts only until Prometheus has
// scraped it.

const exec = promisify(execFile);
const WEB = 'dhakacart_web';
jest.setTimeout(180_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const scale = (n: number) => exec('docker', ['service', 'scale', '--detach', `${WEB}=${n}`]);

let exporter: RunningExporter;
let originalReplicas: number;

async function webSeries(): Promise<{ desired?: number; running?: number }> {
  const text = await (await fetch(`${exporter.url}/metrics`)).text();
  const value = (metric: string) => {
    const m = text.match(new RegExp(`^${metric}\\{service="${WEB}"\\} (\\d+)$`, 'm'));
    return m ? Number(m[1]) : undefined;
  };
  return {
    desired: value('swarm_service_replicas_desired'),
    running: value('swarm_service_replicas_running'),
  };
}

/** Polls the in-process exporter until `want` is seen; returns every distinct state seen. */
async function waitForExporter(want: { desired: number; running: number }, ms = 60_000) {
  const seen: string[] = [];
  const deadline = Date.now() + ms;
  for (;;) {
    const s = await webSeries();
    const key = `${s.desired}/${s.running}`;
    if (seen[seen.length - 1] !== key) seen.push(key);
    if (s.desired === want.desired && s.running === want.running) return seen;
    if (Date.now() > deadline)
      throw new Error(`exporter never showed ${JSON.stringify(want)}: ${seen}`);
    await sleep(50);
  }
}

async function promValue(metric: string): Promise<number | undefined> {
  const r = await instant(`${metric}{job="swarm-exporter",service="${WEB}"}`);
  if (r.length > 1) throw new Error(`more than one ${metric} series for ${WEB}`);
  return r[0]?.value;
}

async function waitForPrometheus(want: { desired: number; running: number }, ms = 75_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const got = {
      desired: await promValue('swarm_service_replicas_desired'),
      running: await promValue('swarm_service_replicas_running'),
    };
    if (got.desired === want.desired && got.running === want.running) return;
    if (Date.now() > deadline)
      throw new Error(`Prometheus shows ${JSON.stringify(got)}, wanted ${JSON.stringify(want)}`);
    await sleep(2_000);
  }
}

beforeAll(async () => {
  const { stdout } = await exec('docker', [
    'service',
    'inspect',
    WEB,
    '--format',
    '{{.Spec.Mode.Replicated.Replicas}}',
  ]);
  originalReplicas = Number(stdout.trim());
  exporter = await startExporter(dockerApi('/var/run/docker.sock', '1.41', 5000), '127.0.0.1', 0);
});

afterAll(async () => {
  if (originalReplicas) await scale(originalReplicas);
  await exporter?.close();
});

test('the lab starts with dhakacart_web at 2 of 2, in the exporter and in Prometheus', async () => {
  expect(originalReplicas).toBe(2);
  await waitForExporter({ desired: 2, running: 2 }, 5_000);
  await waitForPrometheus({ desired: 2, running: 2 }, 60_000);
});

test('scaling dhakacart_web 2 -> 1 -> 2 shows 1 of 1, then 2 desired with 1 running, then 2 of 2', async () => {
  await scale(1);
  await waitForExporter({ desired: 1, running: 1 });
  // Held only until the deployed exporter's numbers reach Prometheus (one scrape, 15 s).
  await waitForPrometheus({ desired: 1, running: 1 });

  await scale(2);
  // The new task needs a moment to start: desired is 2 before running is.
  const seen = await waitForExporter({ desired: 2, running: 2 });
  expect(seen).toContain('2/1');
  await waitForPrometheus({ desired: 2, running: 2 });
});
