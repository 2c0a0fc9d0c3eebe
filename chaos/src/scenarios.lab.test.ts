/**
 * Deploys under load against the running lab (`npm run lab`): a rolling update and Swarm's
 * automatic rollback of a broken version, with bounded load through the TLS edge. Killed
 * replicas, the database leader, the Redis primary and a whole zone are the game day's
 * experiments (gameday.lab.test.ts), which replaced the separate failure tests.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { serviceImage } from '@dhakacart/lab-client';
import { labInvariants, runHistory } from './invariants/lab';
import { brokenRelease, restoreApiImage, rollingUpdate } from './scenarios';

/** After every fault: the data's invariants hold (no orders here, but nothing else may break). */
async function expectInvariants(since: Date) {
  const history = runHistory(`scenarios-${since.getTime()}`);
  // This load only browses: its history of acknowledged orders is empty, and says so (the
  // checker refuses a missing history rather than read it as "no orders").
  mkdirSync(dirname(history.file), { recursive: true });
  writeFileSync(history.file, '', { flag: 'a' });
  const r = await labInvariants(history, since);
  expect(r).toMatchObject({ lost: 0, oversold: 0, duplicates: 0, conservation: 0, stranded: 0 });
}

describe('failures survived automatically', () => {
  let labImage = '';
  beforeAll(async () => {
    labImage = await serviceImage('api');
  });

  afterAll(async () => {
    // Whatever happened, leave the api on the lab's own image with all replicas healthy.
    await restoreApiImage(labImage);
  }, 360_000);

  test('a rolling update to a new api image under load drops no request', async () => {
    const since = new Date();
    const r = await rollingUpdate();
    console.log(`rolling update: ${r.ms} ms; ${r.load.ok}/${r.load.sent} requests ok`);
    expect(r.image).not.toBe('mixed');
    expect(r.load.sent).toBeGreaterThan(100);
    expect(r.load.failures).toEqual([]);
    await expectInvariants(since);
  });

  test('a broken api version is rolled back automatically while the store keeps serving', async () => {
    const since = new Date();
    const r = await brokenRelease();
    console.log(
      `automatic rollback: ${r.ms} ms after the update started; ${r.load.ok}/${r.load.sent} ok`,
    );
    expect(r.imageAfter).toBe(r.original);
    expect(r.load.failures).toEqual([]);
    await expectInvariants(since);
  });
});
