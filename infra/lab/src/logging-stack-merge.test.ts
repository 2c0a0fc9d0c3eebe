import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { STACK_FILES } from './paths';

// stack.logging.yml merged into the rest the way `docker stack deploy -c ... -c ...` does it
// (`docker stack config`, which deploys nothing): the api keeps its own environment and gains
// the ops board's log store, which it can reach.

type Svc = {
  environment?: Record<string, string>;
  networks: Record<string, unknown>;
  command?: string[];
};

function merged(): { services: Record<string, Svc> } {
  const vars = new Set(
    STACK_FILES.flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]!),
    ),
  );
  const env = { ...process.env, ...Object.fromEntries([...vars].map((v) => [v, 'x'])) };
  const out = execFileSync(
    'docker',
    ['stack', 'config', ...STACK_FILES.flatMap((f) => ['-c', f])],
    {
      env,
      encoding: 'utf8',
    },
  );
  return parse(out) as { services: Record<string, Svc> };
}

test("the api gains LOGS_URL, naming the log store's service and port on a network they share", () => {
  const { services } = merged();
  const api = services.api!;
  // Its own settings survive the merge.
  expect(api.environment).toMatchObject({ PROMETHEUS_URL: 'http://prometheus:9090' });
  const url = new URL(api.environment!.LOGS_URL!);
  const store = services[url.hostname];
  expect(store).toBeDefined();
  expect(store!.command).toContain(`-httpListenAddr=:${url.port}`);
  const shared = Object.keys(api.networks).filter((n) => n in store!.networks);
  expect(shared).toEqual(['monitoring']);
});
