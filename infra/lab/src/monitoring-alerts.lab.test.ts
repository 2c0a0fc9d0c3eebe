import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  clearSink,
  sinkReceived,
  type SinkRecord,
  type SlackPayload,
  type WebhookPayload,
} from '@dhakacart/lab-client';
import { REPO_ROOT, STACK } from './paths';
import { alertmanagerAlerts, instant } from '@dhakacart/lab-client';
import { waitFor as waitForLab } from '@dhakacart/lab-client';
import { serviceSettled } from '@dhakacart/lab-client';
import { must, sleep } from '@dhakacart/lab-client';

// END TO END, against the RUNNING lab: take every api replica away, and the page must reach the
// chat and SMS webhooks within 3 minutes; bring them back, and the resolution must arrive.
// The path: blackbox probe of https://edge:8443/api/categories fails -> Prometheus
// (15 s evaluation) -> BlackboxProbeFailed (for: 1m, severity page) -> Alertmanager
// (group_wait 10 s) -> the sink's /hooks/slack and /hooks/sms. This stops the store's API for
// about two minutes: do not run it while other lab tests run.

const API = `${STACK}_api`;
const PROBE = 'https://edge:8443/api/categories';
const ALERT = 'BlackboxProbeFailed';
const PAGE_WITHIN_MS = 3 * 60_000;

/** Alertmanager's group_interval (how long a resolution may wait), from the deployed config. */
function groupIntervalMs(): number {
  const cfg = readFileSync(
    join(REPO_ROOT, 'slo', 'alertmanager', 'generated', 'alertmanager.yml'),
    'utf8',
  );
  const m = /^\s*group_interval:\s*(\d+)([smh])\s*$/m.exec(cfg);
  if (!m) throw new Error('no group_interval in the Alertmanager config');
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 's' | 'm' | 'h'];
}

const replicas = async () =>
  Number(
    (
      await must('docker', [
        'service',
        'inspect',
        API,
        '--format',
        '{{.Spec.Mode.Replicated.Replicas}}',
      ])
    ).trim(),
  );
const scale = (n: number) => must('docker', ['service', 'scale', '--detach', `${API}=${n}`]);

/** Someone else changed what the test controls: no point waiting any longer. */
class Interference extends Error {}

async function waitFor<T>(what: string, timeoutMs: number, get: () => Promise<T | undefined>) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get().catch((e: Error) => {
      if (e instanceof Interference) throw e;
      return undefined;
    });
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s: ${what}`);
    await sleep(3000);
  }
}

const webhooks = (r: SinkRecord[]) => r.map((x) => x.body as WebhookPayload);
/** The SMS webhook's notification about our alert in the given state, if one arrived. */
const smsAbout = (r: SinkRecord[], status: 'firing' | 'resolved') =>
  webhooks(r).find(
    (b) =>
      b.status === status &&
      b.alerts.some((a) => a.labels.alertname === ALERT && a.labels.instance === PROBE),
  );

/** Which hop of the path probe -> rule -> Alertmanager -> sink the missing page stopped at. */
async function whereThePageStopped(): Promise<string> {
  const ask = async (what: string, get: () => Promise<string>) =>
    `  ${what}: ${await get().catch((e: Error) => `(could not ask: ${e.message})`)}`;
  const lines = await Promise.all([
    ask('probe_success', async () =>
      JSON.stringify((await instant(`probe_success{instance="${PROBE}"}`)).map((x) => x.value)),
    ),
    ask('Prometheus ALERTS', async () =>
      JSON.stringify(
        (await instant(`ALERTS{alertname="${ALERT}"}`)).map(
          (x) => `${x.metric.instance ?? ''} ${x.metric.alertstate ?? ''}`,
        ),
      ),
    ),
    ask('held by Alertmanager', async () =>
      JSON.stringify(
        (await alertmanagerAlerts())
          .filter((a) => a.labels.alertname === ALERT)
          .map((a) => `${a.labels.instance ?? ''} ${a.status.state}`),
      ),
    ),
    ask('SMS webhook received', async () =>
      JSON.stringify(webhooks(await sinkReceived('sms')).map((b) => b.status)),
    ),
  ]);
  return [
    'Where the page stopped (an active alert in Alertmanager with nothing at the sink means',
    'Alertmanager chose not to send: see images/alertmanager/start.sh):',
    ...lines,
  ].join('\n');
}

describe('end to end: an outage pages through Alertmanager to the sink, and resolves', () => {
  let desired = 0;

  beforeAll(async () => {
    desired = await replicas();
    expect(desired).toBeGreaterThan(0);
    // Start healthy: the probe passes, and no notification group of this alert is still alive.
    // A group lives until its resolution is flushed, up to group_interval after the alert
    // resolved (Alertmanager no longer lists it by then), and a new alert joining a live group
    // waits for the next interval instead of group_wait. A lab that just came up, or a test that
    // stopped the api for a minute, leaves such a group. So: no firing sample in the last
    // group_interval plus a margin, and nothing held by Alertmanager now.
    const quietFor = `${Math.round(groupIntervalMs() / 1000) + 45}s`;
    await waitFor('the api probe to pass and the alert to be quiet', 10 * 60_000, async () => {
      const probe = await instant(`probe_success{instance="${PROBE}"}`);
      // Any instance: the group (alertname, sloth_id, severity) spans both probes.
      const recent = await instant(
        `max_over_time(ALERTS{alertname="${ALERT}",alertstate="firing"}[${quietFor}])`,
      );
      const held = (await alertmanagerAlerts()).some((a) => a.labels.alertname === ALERT);
      return probe[0]?.value === 1 && recent.length === 0 && !held ? true : undefined;
    });
  }, 15 * 60_000);

  afterAll(async () => {
    // Whatever happened, give the store its replicas back, and wait until they serve: the next
    // test file expects a healthy lab.
    if (desired > 0 && (await replicas()) !== desired) await scale(desired);
    if (desired > 0) await waitForLab('api settled', () => serviceSettled('api'), 180_000, 2000);
  }, 240_000);

  test(
    'api replicas gone: page on chat and SMS within 3 minutes; back: resolution arrives',
    async () => {
      await clearSink();
      const t0 = Date.now();
      await scale(0);

      const firing = await waitFor('the page on the SMS webhook', PAGE_WITHIN_MS, async () => {
        // Another test or person restoring the api would void the experiment: say so.
        if ((await replicas()) !== 0)
          throw new Interference(`${API} was scaled back by someone else during the outage`);
        return smsAbout(await sinkReceived('sms'), 'firing');
      }).catch(async (e: Error) => {
        if (e instanceof Interference) throw e;
        throw new Error(`${e.message}\n${await whereThePageStopped()}`);
      });
      const pagedAfterMs = Date.now() - t0;
      const slack = (await sinkReceived('slack')).map((r) => r.body as SlackPayload);
      const sms = await sinkReceived('sms');

      await scale(desired);
      const t1 = Date.now();
      process.stderr.write(`monitoring e2e: paged after ${Math.round(pagedAfterMs / 1000)} s\n`);

      expect(firing.receiver).toBe('page-chat-and-sms');
      expect(pagedAfterMs).toBeLessThanOrEqual(PAGE_WITHIN_MS);
      // The SMS gateway got the bearer token from the Swarm secret.
      expect(sms.every((r) => r.authorized === true)).toBe(true);
      expect(
        slack.some(
          (b) =>
            /^\[FIRING:\d+\] /.test(b.attachments?.[0]?.title ?? '') &&
            b.attachments?.[0]?.title?.endsWith(ALERT),
        ),
      ).toBe(true);

      // Replicas start (~20 s), the edge sees them healthy, the probe passes, Prometheus sends
      // the resolution, and Alertmanager flushes it at the group's next interval.
      const resolveWithinMs = groupIntervalMs() + 2 * 60_000;
      const resolved = await waitFor(
        'the resolution on the SMS webhook',
        resolveWithinMs,
        async () => smsAbout(await sinkReceived('sms'), 'resolved'),
      );
      process.stderr.write(
        `monitoring e2e: resolved ${Math.round((Date.now() - t1) / 1000)} s after the restore\n`,
      );
      expect(resolved.alerts.find((a) => a.labels.alertname === ALERT)?.status).toBe('resolved');
      const slackResolved = (await sinkReceived('slack')).map((r) => r.body as SlackPayload);
      expect(
        slackResolved.some((b) => b.attachments?.[0]?.title?.includes(`[RESOLVED] ${ALERT}`)),
      ).toBe(true);
      expect(await replicas()).toBe(desired);
    },
    15 * 60_000,
  );
});
