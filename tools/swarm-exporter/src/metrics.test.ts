import services from './fixtures/services.json';
import tasks from './fixtures/tasks.json';
import type { ApiService, ApiTask, DockerApi } from './docker-api';
import { swarmMetrics } from './metrics';

const fakeApi = (over: Partial<DockerApi> = {}): DockerApi => ({
  ping: async () => undefined,
  services: async () => services as ApiService[],
  tasks: async () => tasks as ApiTask[],
  ...over,
});

/** `name{labels} value` lines of the exposition text, without comments. */
const samples = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('#'));

test('renders desired and running per service with only the `service` label the alert joins on', async () => {
  const lines = samples(await swarmMetrics(fakeApi()).render());
  expect(lines).toEqual(
    expect.arrayContaining([
      'swarm_service_replicas_desired{service="dhakacart_api"} 3',
      'swarm_service_replicas_running{service="dhakacart_api"} 1',
      'swarm_service_replicas_desired{service="dhakacart_web"} 2',
      'swarm_service_replicas_running{service="dhakacart_web"} 2',
      'swarm_service_replicas_desired{service="dhakacart_node-exporter"} 1',
      'swarm_exporter_api_up 1',
    ]),
  );
  // Four services, two series each, plus the up gauge.
  expect(lines).toHaveLength(9);
});

test('an Engine API failure drops the replica series and sets api_up to 0', async () => {
  let fail = false;
  const m = swarmMetrics(
    fakeApi({
      services: async () => {
        if (fail) throw new Error('connect EACCES /var/run/docker.sock');
        return services as ApiService[];
      },
    }),
  );
  expect(samples(await m.render())).toContain('swarm_exporter_api_up 1');
  fail = true;
  const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const lines = samples(await m.render());
  spy.mockRestore();
  expect(lines).toEqual(['swarm_exporter_api_up 0']);
});

test('a removed service disappears from the next scrape', async () => {
  let list = services as ApiService[];
  const m = swarmMetrics(fakeApi({ services: async () => list }));
  expect(await m.render()).toContain('service="dhakacart_batch"');
  list = list.filter((s) => s.Spec.Name !== 'dhakacart_batch');
  expect(await m.render()).not.toContain('service="dhakacart_batch"');
});
