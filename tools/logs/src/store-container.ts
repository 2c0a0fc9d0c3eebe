/**
 * A throwaway VictoriaLogs container from the project's image, its ports published on 127.0.0.1
 * only, for tests, the benchmark and the driver measurement. Never part of the lab stack.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { imageRef } from '@dhakacart/images';
import { VictoriaLogsClient } from './client';
import { SPLUNK_INGEST_FLAGS, SYSLOG_INGEST_FLAGS, type StorePorts } from './shipping';

export interface ThrowawayStore {
  name: string;
  id: string;
  ports: StorePorts;
  url: string;
  client: VictoriaLogsClient;
  remove(): void;
}

const docker = (args: string[]) =>
  execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** The host port Docker picked for a container port ("9428/tcp"). */
function hostPort(name: string, containerPort: string): number {
  const out = docker(['port', name, containerPort]);
  const m = /127\.0\.0\.1:(\d+)/.exec(out);
  if (!m) throw new Error(`no 127.0.0.1 port for ${name} ${containerPort}: ${out}`);
  return Number(m[1]);
}

export async function startThrowawayStore(
  opts: { prefix?: string; extraFlags?: string[]; startTimeoutMs?: number } = {},
): Promise<ThrowawayStore> {
  const name = `${opts.prefix ?? 'logs-test'}-${randomBytes(4).toString('hex')}`;
  const id = docker([
    'run',
    '-d',
    '--name',
    name,
    '--label',
    'dhakacart.throwaway=logs',
    '--log-driver',
    'json-file',
    '-p',
    '127.0.0.1::9428/tcp',
    '-p',
    '127.0.0.1::5514/udp',
    '-p',
    '127.0.0.1::5514/tcp',
    imageRef('victoria-logs'),
    '-storageDataPath=/vlogs',
    '-retentionPeriod=7d',
    '-httpListenAddr=:9428',
    ...SYSLOG_INGEST_FLAGS(5514, 5514),
    ...SPLUNK_INGEST_FLAGS,
    ...(opts.extraFlags ?? []),
  ]);
  const remove = () => {
    try {
      docker(['rm', '-f', '-v', name]);
    } catch {
      /* already gone */
    }
  };
  try {
    const ports: StorePorts = {
      http: hostPort(name, '9428/tcp'),
      syslogUdp: hostPort(name, '5514/udp'),
      syslogTcp: hostPort(name, '5514/tcp'),
    };
    const url = `http://127.0.0.1:${ports.http}`;
    const client = new VictoriaLogsClient({ baseUrl: url, timeoutMs: 5000 });
    const deadline = Date.now() + (opts.startTimeoutMs ?? 20_000);
    while (!(await client.healthy(1000))) {
      if (Date.now() > deadline) throw new Error(`${name} did not become healthy`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return { name, id, ports, url, client, remove };
  } catch (e) {
    remove();
    throw e;
  }
}
