import { randomBytes } from 'node:crypto';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { imageRef } from '@dhakacart/images';

/** Real PostgreSQL and Redis from the project's own images (see tools/images), one per caller. */
export interface StartedPostgres {
  container: StartedTestContainer;
  host: string;
  port: number;
  password: string;
}

/** Fixed host ports let a test stop and start a container and find it at the same address. */
export interface PortOption {
  hostPort?: number;
}

export async function startPostgres(opts: PortOption = {}): Promise<StartedPostgres> {
  const password = randomBytes(18).toString('base64url');
  const container = await new GenericContainer(imageRef('postgres'))
    .withEnvironment({
      POSTGRES_USER: 'dhakacart',
      POSTGRES_DB: 'dhakacart',
      POSTGRES_PASSWORD_FILE: '/tmp/pg-password',
    })
    .withCopyContentToContainer([{ content: password, target: '/tmp/pg-password', mode: 0o444 }])
    .withExposedPorts(opts.hostPort ? { container: 5432, host: opts.hostPort } : 5432)
    .withWaitStrategy(Wait.forHealthCheck())
    .withStartupTimeout(90_000)
    .start();
  return { container, host: container.getHost(), port: container.getMappedPort(5432), password };
}

export interface StartedRedis {
  container: StartedTestContainer;
  host: string;
  port: number;
  password: string;
}

export async function startRedis(opts: PortOption = {}): Promise<StartedRedis> {
  const password = randomBytes(18).toString('base64url');
  const container = await new GenericContainer(imageRef('redis'))
    .withEnvironment({ REDIS_PASSWORD_FILE: '/tmp/redis-password' })
    .withCopyContentToContainer([{ content: password, target: '/tmp/redis-password', mode: 0o444 }])
    .withExposedPorts(opts.hostPort ? { container: 6379, host: opts.hostPort } : 6379)
    .withWaitStrategy(Wait.forHealthCheck())
    .withStartupTimeout(60_000)
    .start();
  return { container, host: container.getHost(), port: container.getMappedPort(6379), password };
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as import('node:net').AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A project image's HTTP service on a published port, e.g. the log store or the Pushgateway. */
export interface StartedHttpService {
  container: StartedTestContainer;
  url: string;
}

async function startHttpService(
  image: string,
  port: number,
  readyPath: string,
): Promise<StartedHttpService> {
  const container = await new GenericContainer(imageRef(image))
    .withExposedPorts(port)
    // The images' own health checks run once a minute: ask the ready endpoint instead.
    .withWaitStrategy(Wait.forHttp(readyPath, port).forStatusCode(200))
    .withStartupTimeout(60_000)
    .start();
  // The published port on loopback: the engine runs on this machine, and the clients under test
  // (lab-client's push, the logs CLI) refuse any address but the machine's own. Inside a
  // container, getHost() would name the bridge gateway (172.17.0.1) instead.
  return { container, url: `http://127.0.0.1:${container.getMappedPort(port)}` };
}

/** The lab's log store (VictoriaLogs, images/victoria-logs) with its image's default flags. */
export const startVictoriaLogs = () => startHttpService('victoria-logs', 9428, '/health');

/** The lab's Pushgateway (images/pushgateway): load tests and game days push their results. */
export const startPushgateway = () => startHttpService('pushgateway', 9091, '/-/ready');
