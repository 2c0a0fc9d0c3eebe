import services from './fixtures/services.json';
import tasks from './fixtures/tasks.json';
import type { ApiService, ApiTask } from './docker-api';
import { serviceReplicas } from './replicas';

const fixture = () => serviceReplicas(services as ApiService[], tasks as ApiTask[]);
const byName = (name: string) => fixture().find((r) => r.service === name);

test('a replicated service wants its replica count and counts only tasks in state running', () => {
  expect(byName('dhakacart_web')).toEqual({
    service: 'dhakacart_web',
    mode: 'replicated',
    desired: 2,
    running: 2,
  });
  // Slot 2 is still starting and slot 3 is being shut down: one of three is running.
  expect(byName('dhakacart_api')).toEqual({
    service: 'dhakacart_api',
    mode: 'replicated',
    desired: 3,
    running: 1,
  });
});

test('a global service wants one task per node Swarm scheduled it on', () => {
  expect(byName('dhakacart_node-exporter')).toEqual({
    service: 'dhakacart_node-exporter',
    mode: 'global',
    desired: 1,
    running: 1,
  });
});

test('a service scaled to zero is reported with 0 desired and 0 running, not dropped', () => {
  expect(byName('dhakacart_batch')).toMatchObject({ desired: 0, running: 0 });
});

test('every service is listed once, sorted by name', () => {
  expect(fixture().map((r) => r.service)).toEqual([
    'dhakacart_api',
    'dhakacart_batch',
    'dhakacart_node-exporter',
    'dhakacart_web',
  ]);
});

test('a service whose tasks have all gone reports 0 running against its desire', () => {
  const web = (services as ApiService[]).filter((s) => s.Spec.Name === 'dhakacart_web');
  expect(serviceReplicas(web, [])).toEqual([
    { service: 'dhakacart_web', mode: 'replicated', desired: 2, running: 0 },
  ]);
});
