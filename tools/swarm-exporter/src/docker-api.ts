import * as http from 'node:http';

/** The fields of GET /services and GET /tasks the exporter reads (Engine API 1.41). */
export interface ApiService {
  ID: string;
  Spec: {
    Name: string;
    Mode?: { Replicated?: { Replicas?: number }; Global?: Record<string, never> };
  };
}

export interface ApiTask {
  ServiceID: string;
  DesiredState: string;
  Status: { State: string };
}

export interface DockerApi {
  ping(): Promise<void>;
  services(): Promise<ApiService[]>;
  tasks(): Promise<ApiTask[]>;
}

/**
 * A read-only client of the Engine API over its unix socket. Only GETs: the exporter never
 * needs to change anything, so nothing here can.
 */
export function dockerApi(socketPath: string, apiVersion: string, timeoutMs: number): DockerApi {
  const get = (path: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const req = http.request(
        { socketPath, path: `/v${apiVersion}${path}`, method: 'GET', timeout: timeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) {
              reject(
                new Error(`docker GET ${path}: HTTP ${res.statusCode}: ${body.slice(0, 200)}`),
              );
            } else resolve(body);
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`docker GET ${path}: timed out`)));
      req.on('error', reject);
      req.end();
    });
  const getJson = async <T>(path: string): Promise<T> => JSON.parse(await get(path)) as T;
  return {
    ping: async () => {
      await get('/_ping');
    },
    services: () => getJson<ApiService[]>('/services'),
    // Only tasks Swarm wants running: finished and shut-down history is not counted.
    tasks: () =>
      getJson<ApiTask[]>(
        `/tasks?filters=${encodeURIComponent(JSON.stringify({ 'desired-state': ['running'] }))}`,
      ),
  };
}
