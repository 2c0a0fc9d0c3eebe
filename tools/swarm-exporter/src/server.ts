import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DockerApi } from './docker-api';
import { swarmMetrics } from './metrics';

export interface RunningExporter {
  url: string;
  close(): Promise<void>;
}

/** GET /metrics (Prometheus) and GET /healthz (200 only while the Engine API answers). */
export async function startExporter(
  api: DockerApi,
  host: string,
  port: number,
): Promise<RunningExporter> {
  const metrics = swarmMetrics(api);
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end();
    } else if (path === '/metrics') {
      metrics.render().then(
        (text) => res.writeHead(200, { 'content-type': metrics.contentType }).end(text),
        (e: unknown) => res.writeHead(500).end((e as Error).message),
      );
    } else if (path === '/healthz') {
      api.ping().then(
        () => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n'),
        (e: unknown) =>
          res
            .writeHead(503, { 'content-type': 'application/json' })
            .end(JSON.stringify({ error: 'docker_api_unreachable', detail: (e as Error).message })),
      );
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const addr = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `http://${shownHost}:${addr.port}`,
    close: () => new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
