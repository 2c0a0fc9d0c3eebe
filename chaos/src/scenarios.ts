/**
 * Failure scenarios against the running lab, shared by the tests (which assert on the outcome)
 * and the lab benchmark (which reports the times). Each puts bounded load through the TLS edge.
 */
import {
  containers,
  deriveImage,
  docker,
  serviceImage,
  serviceSettled,
  startImageUpdate,
  waitFor,
  waitForUpdate,
} from '@dhakacart/lab-client';
import { catalogueLoad, type LoadStats } from '@dhakacart/loadtests';

export interface ScenarioResult {
  /** The scenario's own figure: time to recover, to roll out or to roll back. */
  ms: number;
  load: LoadStats;
}

/** `docker kill` one api replica under load; ms = until a replacement is healthy. */
export async function killApiReplica(): Promise<ScenarioResult & { killed: string }> {
  const before = await containers('api');
  const victim = before[0]!;
  const load = catalogueLoad(60_000);
  await new Promise((r) => setTimeout(r, 3000));
  await docker(['kill', victim.id]);
  const ms = await waitFor(
    'a replacement api replica',
    async () => {
      const now = await containers('api');
      return (
        now.length === before.length &&
        now.every((c) => c.healthy) &&
        !now.some((c) => c.id === victim.id)
      );
    },
    60_000,
  );
  return { ms, killed: victim.id, load: await load.stop() };
}

/**
 * Rolls the api to a new image under load; ms = until every replica runs it. It leaves the new
 * image in place (a second rollout only to restore would double the time): callers restore with
 * `restoreApiImage(original)` when they are done.
 */
export async function rollingUpdate(): Promise<
  ScenarioResult & { image: string; original: string }
> {
  const original = await serviceImage('api');
  const next = await deriveImage(
    original,
    `${original.split(':')[0]}:rolling-${Date.now().toString(36)}`,
    ['LABEL org.dhakacart.release="rolling-update"'],
  );
  const load = catalogueLoad(180_000);
  const t0 = Date.now();
  await waitForUpdate('api', await startImageUpdate('api', next), ['completed'], 170_000);
  await waitFor('all replicas on the new image', () => serviceSettled('api', next), 120_000);
  const ms = Date.now() - t0;
  const stats = await load.stop();
  const onNew = (await containers('api')).every((c) => c.image === next);
  return { ms, load: stats, image: onNew ? next : 'mixed', original };
}

/** Puts the api back on `image` (a rolling update, when needed) and waits until it is settled. */
export async function restoreApiImage(image: string): Promise<void> {
  if ((await serviceImage('api')) !== image) {
    await waitForUpdate('api', await startImageUpdate('api', image), ['completed'], 170_000);
  }
  await waitFor('api settled', () => serviceSettled('api', image), 170_000, 2000);
}

/** Deploys an api image that never passes its healthcheck; ms = until Swarm's rollback completes. */
export async function brokenRelease(): Promise<
  ScenarioResult & { imageAfter: string; original: string }
> {
  const original = await serviceImage('api');
  const broken = await deriveImage(
    original,
    `${original.split(':')[0]}:broken-${Date.now().toString(36)}`,
    ['HEALTHCHECK --interval=2s --timeout=2s --start-period=1s --retries=2 CMD ["false"]'],
  );
  const load = catalogueLoad(240_000);
  const started = await startImageUpdate('api', broken);
  const ms = await waitForUpdate('api', started, ['rollback_completed'], 230_000);
  const stats = await load.stop();
  await waitFor(
    'api healthy on the original image',
    () => serviceSettled('api', original),
    120_000,
    2000,
  );
  return { ms, load: stats, imageAfter: await serviceImage('api'), original };
}
