import { randomBytes } from 'node:crypto';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { imageRef } from '../../../../tools/images/src';

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
