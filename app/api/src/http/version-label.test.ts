import { loadConfig } from '../config';
import { startStack, type TestStack } from '../test-support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({ redis: false, env: { APP_VERSION: 'c0ffee1-7' } });
});
afterAll(() => stack?.stop());

test("every series carries the running version, so a release's gate can judge its own requests", async () => {
  await fetch(`${stack.api.url}/api/categories`);
  const text = await (await fetch(stack.api.metricsUrl)).text();
  const line = text.split('\n').find((l) => l.startsWith('http_requests_total{'));
  expect(line).toMatch(/version="c0ffee1-7"/);
  expect(text).toMatch(
    /checkout_attempts_total|http_request_duration_seconds_bucket\{.*version="c0ffee1-7"/,
  );
});

test('a version that is not a label value is refused at start', () => {
  expect(() => loadConfig({ ...stack.env, APP_VERSION: 'v1 with spaces' })).toThrow(/APP_VERSION/);
  expect(loadConfig({ ...stack.env, APP_VERSION: undefined as unknown as string }).version).toBe(
    'unversioned',
  );
});
