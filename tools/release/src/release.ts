import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildImages } from '@dhakacart/images';
import {
  docker,
  postAlerts,
  REPO_ROOT,
  run,
  serviceImage,
  serviceSettled,
  sleep,
  STATE_DIR,
  svc,
  unhealthyServices,
  updateStatus,
  waitFor,
  waitForUpdate,
  type UpdateStatus,
} from '@dhakacart/lab-client';
import { committedThresholds, runScenario, SCENARIOS, type RunResult } from '@dhakacart/loadtests';
import { gateLimits, readGate, type GateReading } from './gate';

/**
 * `npm run release`: the lab's release. Builds what changed, rolls the new api (and web) out
 * under load, watches the new version's own series through an observation window, then
 * promotes it or rolls it back (and checks the rollback), announcing each step. Refuses a dirty
 * tree, a second release at once, an unreachable gate and a rollback target that is gone.
 */
export type Outcome = 'promoted' | 'rolled-back' | 'aborted' | 'refused';

export interface ReleaseResult {
  outcome: Outcome;
  commit: string | null;
  version: string | null;
  previousImage: string | null;
  image: string | null;
  commitToLiveSeconds: number | null;
  decidedSeconds: number | null;
  rolledBack: boolean;
  failedRequests: number;
  totalRequests: number;
  gate: GateReading | null;
  reason: string | null;
  timeline: { at: number; event: string }[];
  drill: { checkout5xxPercent: number } | null;
}

export interface ReleaseOptions {
  /** The drill: a derived api image that fails this share of checkouts with 5xx. */
  injectCheckout5xxPercent?: number;
  /** Seconds the new version is watched before it is promoted (default 60). */
  windowSeconds?: number;
  visitors?: number;
  say: (line: string) => void;
  signal: AbortSignal;
}

export const LOCK_FILE = join(STATE_DIR, 'release.lock');
const DRILL_DIR = join(__dirname, '..', 'drill');

class Refused extends Error {}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** One release at a time: a lock file with the holder's pid (a dead holder's lock is stale). */
export function takeLock(): () => void {
  mkdirSync(STATE_DIR, { recursive: true });
  if (existsSync(LOCK_FILE)) {
    const holder = Number(readFileSync(LOCK_FILE, 'utf8').trim());
    if (holder && holder !== process.pid && pidAlive(holder))
      throw new Refused(`another release is running (pid ${holder}); wait for it to finish`);
  }
  writeFileSync(LOCK_FILE, `${process.pid}\n`);
  return () => {
    if (existsSync(LOCK_FILE) && readFileSync(LOCK_FILE, 'utf8').trim() === String(process.pid))
      rmSync(LOCK_FILE, { force: true });
  };
}

/** Source changes the release would not record: anything but generated benchmark results. */
export async function uncommittedChanges(): Promise<string[]> {
  const r = await run('git', ['status', '--porcelain', '--untracked-files=normal'], {
    cwd: REPO_ROOT,
  });
  if (r.code !== 0) throw new Refused(`git status failed: ${r.stderr.trim()}`);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(3))
    .filter((p) => !p.startsWith('bench/results/'));
}

async function announce(event: string, version: string, summary: string) {
  const now = new Date();
  await postAlerts([
    {
      labels: { alertname: 'DhakaCartRelease', severity: 'release', event, version },
      annotations: { summary },
      startsAt: now.toISOString(),
      endsAt: new Date(now.getTime() + 10 * 60_000).toISOString(),
    },
  ]).catch(() => undefined);
}

async function imageExists(ref: string) {
  return (await run('docker', ['image', 'inspect', ref])).code === 0;
}

/** The release's own image: the built api plus a label naming the release (always distinct). */
async function releaseImage(built: string, version: string, drillPercent: number | undefined) {
  const repo = built.split(':')[0]!;
  const tag = `${repo}:rel-${version}${drillPercent !== undefined ? `-drill${drillPercent}` : ''}`;
  const lines = [`FROM ${built}`, `LABEL org.dhakacart.release="${version}"`];
  if (drillPercent !== undefined) {
    // The defect lives only here, in a derived image, never in the image the pipeline builds.
    lines.push(
      'COPY checkout-5xx.cjs /app/drill/checkout-5xx.cjs',
      'ENV NODE_OPTIONS="--require /app/drill/checkout-5xx.cjs"',
      `ENV DRILL_CHECKOUT_5XX_PERCENT=${drillPercent}`,
      `LABEL org.dhakacart.drill="checkout-5xx:${drillPercent}"`,
    );
  }
  const dockerfile = join(STATE_DIR, `release-${process.pid}.Dockerfile`);
  writeFileSync(dockerfile, lines.join('\n') + '\n');
  try {
    await docker(['build', '-q', '-t', tag, '-f', dockerfile, DRILL_DIR]);
  } finally {
    rmSync(dockerfile, { force: true });
  }
  return tag;
}

/** Every api replica runs `image` and is healthy. */
const settledOn = (image: string) => serviceSettled('api', image);

export async function release(o: ReleaseOptions): Promise<ReleaseResult> {
  const t0 = Date.now();
  const t = () => Math.round((Date.now() - t0) / 100) / 10;
  const timeline: ReleaseResult['timeline'] = [];
  const mark = (event: string) => {
    timeline.push({ at: t(), event });
    o.say(`[${String(t()).padStart(6)} s] ${event}`);
  };
  const result: ReleaseResult = {
    outcome: 'refused',
    commit: null,
    version: null,
    previousImage: null,
    image: null,
    commitToLiveSeconds: null,
    decidedSeconds: null,
    rolledBack: false,
    failedRequests: 0,
    totalRequests: 0,
    gate: null,
    reason: null,
    timeline,
    drill:
      o.injectCheckout5xxPercent === undefined
        ? null
        : { checkout5xxPercent: o.injectCheckout5xxPercent },
  };
  let unlock = () => undefined as void;
  try {
    unlock = takeLock();
    const dirty = await uncommittedChanges();
    if (dirty.length)
      throw new Refused(
        `uncommitted source changes (${dirty.slice(0, 5).join(', ')}${dirty.length > 5 ? ', …' : ''}): commit them first`,
      );
    const unhealthy = await unhealthyServices();
    if (!unhealthy) throw new Refused('the lab is not up: run `npm run lab` first');
    if (unhealthy.includes('api'))
      throw new Refused('the api is not healthy now: a release would not be judged fairly');
    const probe = await readGate('__probe__', gateLimits());
    if (probe.reasons.some((r) => r.startsWith('Prometheus did not answer')))
      throw new Refused(`the gate cannot reach Prometheus: ${probe.reasons[0]} (fail closed)`);
    result.commit = (await run('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT })).stdout.trim();
    result.previousImage = await serviceImage('api');
    if (!(await imageExists(result.previousImage)))
      throw new Refused(
        `the rollback target ${result.previousImage} no longer exists on this machine`,
      );
    if (!(await settledOn(result.previousImage)))
      throw new Refused('the api runs more than one version now; settle it before releasing');
  } catch (e) {
    unlock();
    result.reason = (e as Error).message;
    mark(`refused: ${result.reason}`);
    return result;
  }

  const version = `${result.commit!.slice(0, 7)}-${Date.now().toString(36)}`;
  result.version = version;
  const loadAbort = new AbortController();
  let load: Promise<RunResult> | null = null;
  let before: UpdateStatus | null = null;
  try {
    await announce(
      'started',
      version,
      `release ${version} (${result.commit}) started${result.drill ? ' [drill]' : ''}`,
    );
    mark(
      `release ${version} of ${result.commit!.slice(0, 12)}${result.drill ? ` (drill: ${result.drill.checkout5xxPercent}% of checkouts fail)` : ''}`,
    );
    load = runScenario({
      scenario: SCENARIOS.gameday!,
      visitors: o.visitors ?? 120,
      seconds: 420,
      thresholds: committedThresholds(),
      pushgatewayUrl: null,
      testid: `release-${version}`,
      signal: loadAbort.signal,
    });
    load.catch(() => undefined);
    mark('building the images whose inputs changed');
    const built = await buildImages(['api', 'web'], false);
    const ref = (n: string) => built.find((b) => b.name === n)!.ref;
    result.image = await releaseImage(ref('api'), version, o.injectCheckout5xxPercent);
    if (o.signal.aborted) throw new Error('stopped by the operator');
    const webNow = await serviceImage('web');
    if (webNow !== ref('web')) {
      mark(`rolling the storefront to ${ref('web')}`);
      const w = await updateStatus('web');
      await docker(['service', 'update', '--detach', '--image', ref('web'), svc('web')]);
      await waitForUpdate('web', w, ['completed', 'rollback_completed'], 170_000);
    }
    mark(`rolling the api to ${result.image} (start-first, one replica at a time)`);
    before = await updateStatus('api');
    await docker([
      'service',
      'update',
      '--detach',
      '--image',
      result.image,
      '--env-add',
      `APP_VERSION=${version}`,
      svc('api'),
    ]);
    const state = await waitUntil(
      () => waitForUpdate('api', before!, ['completed', 'rollback_completed', 'paused'], 240_000),
      o.signal,
    );
    const after = await updateStatus('api');
    if (after.state !== 'completed') {
      result.rolledBack = true;
      throw new Error(
        `Swarm stopped the rollout (${after.state}): the new version failed its health checks`,
      );
    }
    void state;
    await waitUntil(
      () =>
        waitFor(
          'every api replica on the new version',
          () => settledOn(result.image!),
          120_000,
          2000,
        ),
      o.signal,
    );
    result.commitToLiveSeconds = t();
    mark(`live: every api replica serves ${version}`);
    await announce(
      'live',
      version,
      `release ${version} is live; watching its own series for ${o.windowSeconds ?? 60} s`,
    );

    // The observation window: the new version's own series, every 10 s.
    const limits = gateLimits();
    const windowEnd = Date.now() + (o.windowSeconds ?? 60) * 1000;
    let reading: GateReading = { verdict: 'undecidable', reasons: ['not read yet'], observed: {} };
    while (Date.now() < windowEnd) {
      if (o.signal.aborted) throw new Error('stopped by the operator');
      await sleep(10_000);
      reading = await readGate(version, limits);
      o.say(
        `         gate: ${reading.verdict}${reading.reasons.length ? ` (${reading.reasons.join('; ')})` : ''}`,
      );
      if (reading.verdict === 'breach') break;
    }
    result.gate = reading;
    result.decidedSeconds = t();
    if (reading.verdict === 'pass') {
      result.outcome = 'promoted';
      mark(
        `promoted: the gate passed (${Object.entries(reading.observed)
          .map(([k, v]) => `${k} ${+v.toFixed(4)}`)
          .join(', ')})`,
      );
      await announce('promoted', version, `release ${version} promoted`);
    } else {
      mark(
        `${reading.verdict === 'breach' ? 'BREACH' : 'undecidable (fail closed)'}: ${reading.reasons.join('; ')}: rolling back`,
      );
      await rollback(result, mark);
      result.outcome = 'rolled-back';
      await announce(
        'rolled-back',
        version,
        `release ${version} rolled back: ${reading.reasons.join('; ')}`,
      );
    }
  } catch (e) {
    result.reason = (e as Error).message;
    mark(`aborted: ${result.reason}`);
    if (
      !result.rolledBack &&
      result.previousImage &&
      !(await settledOn(result.previousImage).catch(() => false))
    ) {
      await rollback(result, mark).catch((err: Error) => mark(`rollback failed: ${err.message}`));
    }
    result.outcome =
      result.rolledBack && !/operator/.test(result.reason) ? 'rolled-back' : 'aborted';
    await announce('failed', version, `release ${version} failed: ${result.reason}`);
  } finally {
    loadAbort.abort();
    const ran = await load?.catch(() => null);
    if (ran) {
      result.totalRequests = ran.summary.requests;
      result.failedRequests = ran.summary.errors;
    }
    unlock();
  }
  return result;
}

/** Swarm's rollback to the previous spec, waited for and verified. */
async function rollback(r: ReleaseResult, mark: (e: string) => void) {
  const before = await updateStatus('api');
  if ((await serviceImage('api')) !== r.previousImage) {
    await docker(['service', 'rollback', '--detach', svc('api')]);
    await waitForUpdate('api', before, ['rollback_completed', 'completed'], 240_000).catch(
      () => undefined,
    );
  }
  await waitFor(
    'every api replica back on the previous version',
    () => settledOn(r.previousImage!),
    180_000,
    2000,
  );
  r.rolledBack = true;
  mark(`rolled back: every api replica serves ${r.previousImage} again`);
}

/** Runs a wait, but gives up at once when the operator stops the release. */
async function waitUntil<T>(f: () => Promise<T>, signal: AbortSignal): Promise<T> {
  return Promise.race([
    f(),
    new Promise<never>((_, reject) => {
      if (signal.aborted) reject(new Error('stopped by the operator'));
      signal.addEventListener('abort', () => reject(new Error('stopped by the operator')), {
        once: true,
      });
    }),
  ]);
}
