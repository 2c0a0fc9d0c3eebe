import { ZodError } from 'zod';
import { loadConfig } from './config';

test('defaults to :9323 and the standard Docker socket', () => {
  expect(loadConfig({})).toEqual({
    host: '0.0.0.0',
    port: 9323,
    socketPath: '/var/run/docker.sock',
    apiVersion: '1.41',
    timeoutMs: 5000,
  });
});

test('reads the port and socket from the environment', () => {
  expect(loadConfig({ EXPORTER_PORT: '9400', DOCKER_SOCKET: '/run/docker.sock' })).toMatchObject({
    port: 9400,
    socketPath: '/run/docker.sock',
  });
});

test.each([
  [{ EXPORTER_PORT: '70000' }, 'EXPORTER_PORT'],
  [{ EXPORTER_PORT: 'http' }, 'EXPORTER_PORT'],
  // Number(text) read these as 9400 and 5000; a setting is decimal digits only.
  [{ EXPORTER_PORT: ' 9400' }, 'EXPORTER_PORT'],
  [{ DOCKER_TIMEOUT_MS: '5e3' }, 'DOCKER_TIMEOUT_MS'],
  [{ DOCKER_TIMEOUT_MS: '0x1388' }, 'DOCKER_TIMEOUT_MS'],
  [{ DOCKER_SOCKET: 'docker.sock' }, 'DOCKER_SOCKET'],
  [{ DOCKER_API_VERSION: 'v2' }, 'DOCKER_API_VERSION'],
])('rejects %j with an error naming %s', (env, key) => {
  let err: unknown;
  try {
    loadConfig(env);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ZodError);
  expect((err as ZodError).issues.map((i) => i.path.join('.'))).toContain(key);
});
