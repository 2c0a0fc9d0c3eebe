import * as http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import services from './fixtures/services.json';
import tasks from './fixtures/tasks.json';
import { dockerApi } from './docker-api';
import { startExporter, type RunningExporter } from './server';

// A stand-in Engine API on a unix socket: proves the exporter's requests (version prefix,
// task filter, GET only) and its HTTP endpoints, without touching the real engine.
let dir: string;
let engine: http.Server;
let exporter: RunningExporter;
const seen: string[] = [];
let engineUp = true;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'swarm-exporter-'));
  const socket = join(dir, 'docker.sock');
  engine = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (!engineUp) return void res.writeHead(500).end('{"message":"down"}');
    const url = new URL(req.url ?? '/', 'http://engine');
    if (url.pathname === '/v1.41/_ping') return void res.end('OK');
    if (url.pathname === '/v1.41/services') return void res.end(JSON.stringify(services));
    if (url.pathname === '/v1.41/tasks') return void res.end(JSON.stringify(tasks));
    res.writeHead(404).end('{"message":"page not found"}');
  });
  await new Promise<void>((r) => engine.listen(socket, r));
  exporter = await startExporter(dockerApi(socket, '1.41', 2000), '127.0.0.1', 0);
});

afterAll(async () => {
  await exporter.close();
  await new Promise((r) => engine.close(r));
  rmSync(dir, { recursive: true, force: true });
});

test('/metrics reads services and running-desired tasks over the socket with GETs only', async () => {
  seen.length = 0;
  const r = await fetch(`${exporter.url}/metrics`);
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
  const text = await r.text();
  expect(text).toContain('swarm_service_replicas_desired{service="dhakacart_web"} 2');
  expect(text).toContain('swarm_service_replicas_running{service="dhakacart_api"} 1');
  const filter = encodeURIComponent(JSON.stringify({ 'desired-state': ['running'] }));
  expect(seen.sort()).toEqual(['GET /v1.41/services', `GET /v1.41/tasks?filters=${filter}`]);
});

test('/healthz is 200 while the engine answers and 503 with a machine-readable error when not', async () => {
  expect((await fetch(`${exporter.url}/healthz`)).status).toBe(200);
  engineUp = false;
  try {
    const r = await fetch(`${exporter.url}/healthz`);
    expect(r.status).toBe(503);
    expect(await r.json()).toMatchObject({ error: 'docker_api_unreachable' });
  } finally {
    engineUp = true;
  }
});

test('anything but GET is refused', async () => {
  expect((await fetch(`${exporter.url}/metrics`, { method: 'POST' })).status).toBe(405);
});
