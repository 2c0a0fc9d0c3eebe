import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpRequest, run, sleep } from '@dhakacart/lab-client';

/**
 * The same-run references: the machine's own ceilings for static files, TLS termination and a
 * bare Express process, measured beside the lab so that ratios, not absolute figures, compare
 * across runs on a shared, noisy machine. Every reference listens on 127.0.0.1 only and is
 * removed when the run ends.
 */
export const REF_PORTS = { nginx: 18080, haproxy: 18443, express: 18081 } as const;
const NET = 'dhakacart-bench';

/** A 3.2 kB JSON document, shaped like a catalogue page. */
export function benchDocument(): string {
  const items = Array.from({ length: 12 }, (_, i) => ({
    id: 1000 + i,
    sku: `BENCH-${i}`,
    name: `Benchmark product ${i}`,
    description: 'A product used by the capacity benchmark.',
    pricePaisa: 12345 + i,
    stock: 50,
    category: 'bench',
  }));
  let doc = JSON.stringify({ items, page: 1, pageSize: 12, total: 12 });
  while (doc.length < 3200) doc = doc.replace('"total"', '"pad":"x","total"');
  return doc.slice(0, 3200).length === 3200 ? doc : doc;
}

export interface References {
  urls: { nginx: string; haproxyTls: string; express: string };
  stop(): Promise<void>;
}

async function waitUp(url: string, caFile?: string) {
  for (let i = 0; i < 60; i++) {
    const ok = await httpRequest(url, { timeoutMs: 1000 })
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return;
    await sleep(500);
  }
  throw new Error(`reference ${url} did not answer${caFile ? '' : ''}`);
}

export async function startReferences(o: {
  webImage: string;
  haproxyImage: string;
  /** PEM with the lab's localhost certificate and key (the edge's own). */
  tlsPem: string;
}): Promise<References> {
  const dir = mkdtempSync(join(tmpdir(), 'dhakacart-bench-'));
  chmodSync(dir, 0o755);
  const doc = join(dir, 'bench.json');
  writeFileSync(doc, benchDocument(), { mode: 0o644 });
  const pem = join(dir, 'tls.pem');
  writeFileSync(pem, o.tlsPem, { mode: 0o644 });
  const cfg = join(dir, 'haproxy.cfg');
  writeFileSync(
    cfg,
    `global
    maxconn 4000
defaults
    mode http
    timeout connect 3s
    timeout client 30s
    timeout server 30s
frontend tls
    bind :8443 ssl crt /etc/bench/tls.pem alpn http/1.1
    default_backend nginx
backend nginx
    server nginx bench-nginx:8080
`,
    { mode: 0o644 },
  );
  await stopContainers();
  await run('docker', ['network', 'create', NET]);
  const started: string[] = [];
  const docker = async (args: string[]) => {
    const r = await run('docker', args);
    if (r.code !== 0) throw new Error(`docker ${args.slice(0, 4).join(' ')}: ${r.stderr.trim()}`);
  };
  let express: ChildProcess | undefined;
  try {
    await docker([
      'run',
      '-d',
      '--rm',
      '--name',
      'bench-nginx',
      '--network',
      NET,
      '--label',
      'dhakacart.bench=reference',
      '--cpus',
      '1',
      '-p',
      `127.0.0.1:${REF_PORTS.nginx}:8080`,
      '-v',
      `${doc}:/usr/share/dhakacart/web/bench.json:ro`,
      o.webImage,
    ]);
    started.push('bench-nginx');
    await docker([
      'run',
      '-d',
      '--rm',
      '--name',
      'bench-haproxy',
      '--network',
      NET,
      '--label',
      'dhakacart.bench=reference',
      '--cpus',
      '1',
      '--no-healthcheck',
      '-p',
      `127.0.0.1:${REF_PORTS.haproxy}:8443`,
      '-v',
      `${dir}:/etc/bench:ro`,
      '--entrypoint',
      'haproxy',
      o.haproxyImage,
      '-db',
      '-f',
      '/etc/bench/haproxy.cfg',
    ]);
    started.push('bench-haproxy');
    // Bare Express 5 answering the same bytes from memory: the api's framework, no work.
    express = spawn(
      process.execPath,
      [
        '-e',
        `const express = require('express'); const fs = require('fs');
         const body = fs.readFileSync(process.argv[1]); const app = express();
         app.get('/bench.json', (_q, r) => { r.type('application/json'); r.send(body); });
         app.listen(${REF_PORTS.express}, '127.0.0.1');`,
        doc,
      ],
      { stdio: 'ignore', cwd: join(__dirname, '..', '..', '..', 'app', 'api') },
    );
    const urls = {
      nginx: `http://127.0.0.1:${REF_PORTS.nginx}/bench.json`,
      haproxyTls: `https://localhost:${REF_PORTS.haproxy}/bench.json`,
      express: `http://127.0.0.1:${REF_PORTS.express}/bench.json`,
    };
    await waitUp(urls.nginx);
    await waitUp(urls.express);
    return {
      urls,
      async stop() {
        express?.kill();
        await stopContainers();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    express?.kill();
    await stopContainers();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

async function stopContainers() {
  await run('docker', ['rm', '-f', 'bench-nginx', 'bench-haproxy']);
  await run('docker', ['network', 'rm', NET]);
}
