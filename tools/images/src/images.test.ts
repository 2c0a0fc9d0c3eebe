/**
 * The built images as they ship: non-root, a HEALTHCHECK on every service image, the OCI labels,
 * and no dev dependencies in the API. Runs on the images the test command built.
 */
import { execFileSync } from 'node:child_process';
import { resolveImages } from './build';

const all = resolveImages();
// Every image that runs as a service: all but the bases the others are built on.
const SERVICES = all.map((r) => r.name).filter((n) => n !== 'base' && n !== 'node');
const ref = (name: string) => all.find((r) => r.name === name)!.ref;
const inspect = (name: string) =>
  JSON.parse(
    execFileSync('docker', ['image', 'inspect', ref(name), '--format', '{{json .Config}}'], {
      encoding: 'utf8',
    }),
  ) as {
    User: string;
    Healthcheck?: { Test: string[] };
    Labels: Record<string, string>;
  };

test.each(SERVICES)(
  '%s runs as a non-root user, declares a HEALTHCHECK and carries OCI labels',
  (name) => {
    const c = inspect(name);
    expect(c.User).toBeTruthy();
    expect(['root', '0', '0:0']).not.toContain(c.User);
    expect(c.Healthcheck?.Test?.[0]).toMatch(/CMD/);
    for (const l of ['title', 'description', 'source', 'licenses', 'revision']) {
      expect(c.Labels[`org.opencontainers.image.${l}`]).toBeTruthy();
    }
  },
);

test('the api image holds production dependencies only and a pinned Node 22 LTS', () => {
  const run = (...cmd: string[]) =>
    execFileSync('docker', ['run', '--rm', '--entrypoint', cmd[0]!, ref('api'), ...cmd.slice(1)], {
      encoding: 'utf8',
    }).trim();
  expect(run('node', '--version')).toMatch(/^v22\./);
  const present = run(
    'bash',
    '-c',
    'ls node_modules; ls node_modules/@types 2>/dev/null || true',
  ).split('\n');
  for (const prod of ['express', 'pg', 'ioredis', 'argon2', 'zod']) expect(present).toContain(prod);
  for (const dev of [
    'typescript',
    'testcontainers',
    'jest',
    'supertest',
    'autocannon',
    'express-serve-static-core',
  ])
    expect(present).not.toContain(dev);
  expect(run('bash', '-c', 'ls dist/main.js dist/cli/migrate.js migrations | wc -l')).not.toBe('0');
  expect(
    run(
      'bash',
      '-c',
      'find / -xdev -name "*.ts" -path "*/app/*" -not -path "*/node_modules/*" | wc -l',
    ),
  ).toBe('0');
});
