/**
 * One-shot jobs (migrations, seed, admin account) run as Swarm replicated-jobs from the api
 * image, which declares a HEALTHCHECK for the server it normally runs.
 */
import { runJob } from './jobs';
import { serviceImage } from '@dhakacart/lab-client';

test('a job that runs longer than the image health check allows is not killed as unhealthy', async () => {
  // The api image's check (start period 20 s, then 3 failures 5 s apart) would mark a job
  // unhealthy after about 35 s, and Swarm would kill it with exit 137.
  const out = await runJob({
    name: 'test_slow',
    image: await serviceImage('api'),
    command: ['bash', '-c', 'sleep 45; echo "finished after 45 s"'],
    timeoutMs: 100_000,
  });
  expect(out).toContain('finished after 45 s');
}, 150_000);

test('a failing job reports its output and exit', async () => {
  await expect(
    runJob({
      name: 'test_fail',
      image: await serviceImage('api'),
      command: ['bash', '-c', 'echo "no database here" >&2; exit 3'],
      timeoutMs: 60_000,
    }),
  ).rejects.toThrow(/job test_fail failed[\s\S]*no database here/);
}, 90_000);
