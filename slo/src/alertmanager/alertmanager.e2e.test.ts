import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSink, type Received, type RunningSink } from '@dhakacart/alert-sink';
import { REPO_ROOT } from '../rules/rule-files';
import { freePort, httpOk, startProcess, waitFor, type RunningProcess } from '../testing/processes';
import { renderAlertmanagerConfig, TIMINGS, type ReceiverSettings, type Timings } from './config';

// A real Alertmanager (Debian's prometheus-alertmanager) with the committed routing tree,
// pointed at the real sink. Only the receiver endpoints and secret files differ from the lab.
interface AlertmanagerUnderTest {
  amUrl(): string;
  post(alerts: unknown[]): Promise<void>;
  got(channel: string): Received[];
  /** Stops Alertmanager (SIGTERM: it saves its state) and starts it again on the same storage. */
  restart(): Promise<void>;
}

/** How Alertmanager is started: the packaged binary, or the lab image's entrypoint around it. */
type Launcher = 'binary' | 'image-entrypoint';
const IMAGE_ENTRYPOINT = path.join(REPO_ROOT, 'images', 'alertmanager', 'start.sh');

/** Starts a sink and an Alertmanager (with `timings`) around the enclosing describe block. */
function withAlertmanager(timings: Timings, launcher: Launcher = 'binary'): AlertmanagerUnderTest {
  let sink: RunningSink;
  let am: RunningProcess | undefined;
  let amUrl: string;
  let args: string[];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slo-am-e2e-'));

  const start = async (): Promise<void> => {
    am =
      launcher === 'binary'
        ? startProcess('prometheus-alertmanager', args)
        : startProcess('bash', [IMAGE_ENTRYPOINT, ...args]);
    const running = am;
    await waitFor('alertmanager ready', () => httpOk(`${amUrl}/-/ready`), 30000).catch(
      (e: Error) => {
        throw new Error(`${e.message}\n${running.output()}`);
      },
    );
  };

  beforeAll(async () => {
    sink = await startSink({
      host: '127.0.0.1',
      httpPort: 0,
      smtpPort: 0,
      webhookToken: 'sms-token-for-test',
      smtpUser: 'alertmanager',
      smtpPassword: 'smtp-password-for-test',
    });
    const secret = (name: string, value: string): string => {
      const f = path.join(tmp, name);
      fs.writeFileSync(f, value, { mode: 0o600 });
      return f;
    };
    const receivers: ReceiverSettings = {
      slackApiUrlFile: secret('slack_url', `${sink.httpUrl}/hooks/slack`),
      slackChannel: '#dhakacart-oncall',
      smsWebhookUrl: `${sink.httpUrl}/hooks/sms`,
      smsTokenFile: secret('sms_token', 'sms-token-for-test'),
      emailTo: 'oncall-tickets@dhakacart.test',
      emailFrom: 'alertmanager@dhakacart.test',
      smarthost: `127.0.0.1:${sink.smtpPort}`,
      smtpUser: 'alertmanager',
      smtpPasswordFile: secret('smtp_password', 'smtp-password-for-test'),
      smtpRequireTls: false,
    };
    const config = path.join(tmp, 'alertmanager.yml');
    fs.writeFileSync(config, renderAlertmanagerConfig(receivers, timings));
    const port = await freePort();
    amUrl = `http://127.0.0.1:${port}`;
    args = [
      `--config.file=${config}`,
      `--storage.path=${path.join(tmp, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ];
    await start();
  }, 60000);

  afterAll(async () => {
    await am?.stop();
    await sink?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  return {
    amUrl: () => amUrl,
    post: async (alerts) => {
      const res = await fetch(`${amUrl}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alerts),
      });
      expect(res.status).toBe(200);
    },
    got: (channel) => sink.received().filter((r) => r.channel === channel),
    restart: async () => {
      await am?.stop();
      await start();
    },
  };
}

const alert = (labels: Record<string, string>, summary: string) => ({
  labels,
  annotations: { summary, runbook_url: `docs/runbooks/${labels.alertname}.md` },
  startsAt: new Date().toISOString(),
});

describe('Alertmanager routing to the sink (committed timings)', () => {
  const { amUrl, post, got } = withAlertmanager(TIMINGS);

  it('sends a page to chat and SMS, a ticket to email, and inhibits the page twin ticket', async () => {
    const slo = {
      sloth_id: 'dhakacart-checkout-availability',
      sloth_service: 'dhakacart',
      sloth_slo: 'checkout-availability',
    };
    await post([
      alert(
        {
          alertname: 'CheckoutAvailabilityBudgetBurn',
          severity: 'page',
          sloth_severity: 'page',
          ...slo,
        },
        'checkout failing',
      ),
      alert(
        {
          alertname: 'CheckoutAvailabilityBudgetBurn',
          severity: 'ticket',
          sloth_severity: 'ticket',
          ...slo,
        },
        'checkout failing',
      ),
      alert(
        {
          alertname: 'HostDiskWillFillIn4Hours',
          severity: 'ticket',
          instance: 'node-1',
          mountpoint: '/',
        },
        'disk filling',
      ),
    ]);
    await waitFor(
      'page on slack and sms',
      async () => (got('slack').length && got('sms').length ? true : undefined),
      30000,
    );

    const slack = got('slack')[0]?.body as {
      channel: string;
      attachments: { title: string; text: string }[];
    };
    expect(slack.channel).toBe('#dhakacart-oncall');
    expect(slack.attachments[0]?.title).toBe('[FIRING:1] CheckoutAvailabilityBudgetBurn');
    expect(slack.attachments[0]?.text).toContain(
      'Runbook: docs/runbooks/CheckoutAvailabilityBudgetBurn.md',
    );

    const sms = got('sms')[0];
    expect(sms?.authorized).toBe(true); // bearer token read from its credentials file
    const smsBody = sms?.body as {
      status: string;
      receiver: string;
      alerts: { labels: Record<string, string> }[];
    };
    expect(smsBody.status).toBe('firing');
    expect(smsBody.receiver).toBe('page-chat-and-sms');
    expect(smsBody.alerts.map((a) => a.labels.severity)).toEqual(['page']);

    // Tickets wait for the longer group_wait (30s) before the email goes out.
    await waitFor('ticket email', async () => (got('email').length ? true : undefined), 60000);
    const mails = got('email');
    expect(mails).toHaveLength(1);
    expect(mails[0]?.authorized).toBe(true); // SMTP password read from its file
    expect(mails[0]?.mail?.to).toEqual(['oncall-tickets@dhakacart.test']);
    expect(mails[0]?.mail?.subject).toContain('HostDiskWillFillIn4Hours');

    // The page's own ticket twin is inhibited, never emailed.
    const inhibited = (await (
      await fetch(`${amUrl()}/api/v2/alerts?inhibited=true&active=false&silenced=false`)
    ).json()) as {
      labels: Record<string, string>;
      status: { inhibitedBy: string[] };
    }[];
    const twin = inhibited.find(
      (a) =>
        a.labels.alertname === 'CheckoutAvailabilityBudgetBurn' && a.labels.severity === 'ticket',
    );
    expect(twin?.status.inhibitedBy.length).toBe(1);
    expect(mails.some((m) => m.mail?.raw.includes('CheckoutAvailabilityBudgetBurn'))).toBe(false);
    // No page went to email and no ticket to the page channels.
    expect(
      got('sms').every((r) =>
        (r.body as typeof smsBody).alerts.every((a) => a.labels.severity === 'page'),
      ),
    ).toBe(true);
  }, 120000);
});

// The same tree with short waits, only so resolutions arrive within a test's patience
// (with the committed 5m group_interval a resolution can take up to 5 minutes).
describe('Alertmanager routing to the sink (short timings)', () => {
  const { post, got } = withAlertmanager({
    ...TIMINGS,
    pageGroupWait: '1s',
    ticketGroupWait: '1s',
    groupInterval: '3s',
  });

  it('sends the resolution of a page to chat and SMS and of a ticket by email', async () => {
    const page = alert(
      { alertname: 'BlackboxProbeFailed', severity: 'page', instance: 'https://edge/' },
      'shop down',
    );
    const ticket = alert(
      { alertname: 'HostHighMemory', severity: 'ticket', instance: 'node-1' },
      'memory',
    );
    await post([page, ticket]);
    await waitFor(
      'firing notifications',
      async () => (got('sms').length && got('email').length ? true : undefined),
      30000,
    );
    const ended = new Date().toISOString();
    await post([
      { ...page, endsAt: ended },
      { ...ticket, endsAt: ended },
    ]);
    const resolved = (r: Received): boolean =>
      (r.body as { status?: string } | undefined)?.status === 'resolved';
    await waitFor(
      'resolved notifications',
      async () =>
        got('sms').some(resolved) &&
        got('slack').some((r) => JSON.stringify(r.body).includes('[RESOLVED]')) &&
        got('email').some((m) => m.mail?.subject.includes('RESOLVED'))
          ? true
          : undefined,
      30000,
    );
    expect(got('email').every((m) => m.mail?.subject.includes('HostHighMemory'))).toBe(true);
    expect(got('sms').every((r) => JSON.stringify(r.body).includes('BlackboxProbeFailed'))).toBe(
      true,
    );
  }, 60000);
});

// Alertmanager keeps alerts in memory but persists its notification log. An alert that was
// paged, then resolved while Alertmanager was down, is never resolved in that log; when the same
// alert fires again the page counts as a repeat and waits for repeat_interval (1 h). A stale log
// left by an earlier lab swallowed a real page this way. The lab image's entrypoint (start.sh)
// forgets the log at start and keeps the silences.
describe('a restarted Alertmanager and the page of an alert that resolved while it was down', () => {
  const shortTimings = { ...TIMINGS, pageGroupWait: '1s', groupInterval: '2s' };
  const outage = (): ReturnType<typeof alert> =>
    alert(
      { alertname: 'BlackboxProbeFailed', severity: 'page', instance: 'https://edge/api' },
      'shop down',
    );
  const firingPages = (got: AlertmanagerUnderTest['got']): number =>
    got('sms').filter((r) => (r.body as { status?: string }).status === 'firing').length;

  /** Pages once, restarts while the alert is still firing, then raises it again. */
  async function outageAcrossRestart(am: AlertmanagerUnderTest): Promise<void> {
    await am.post([outage()]);
    await waitFor('the first page', async () => (firingPages(am.got) ? true : undefined), 30000);
    // Alertmanager records a notification in its log after the receiver has answered: a
    // restart in that instant loses the record, and on a busy machine it paged twice. The
    // property is about a page the log holds, so give it time to be written.
    await new Promise((r) => setTimeout(r, 2000));
    await am.restart();
    // Alertmanager came back empty (alerts live in memory); the outage is over and a new one
    // raises the same alert.
    await am.post([outage()]);
  }

  describe('the packaged binary alone', () => {
    const am = withAlertmanager(shortTimings, 'binary');

    it('does not page again within repeat_interval: its log says the receivers know', async () => {
      await outageAcrossRestart(am);
      // group_wait 1 s and three 2 s group intervals: a page would have gone out by now (the
      // entrypoint case below pages within this time).
      await new Promise((r) => setTimeout(r, 8000));
      expect(firingPages(am.got)).toBe(1);
      const held = (await (await fetch(`${am.amUrl()}/api/v2/alerts`)).json()) as unknown[];
      expect(held).toHaveLength(1); // it has the alert, and chose not to send it
    }, 60000);
  });

  describe("the lab image's entrypoint", () => {
    const am = withAlertmanager(shortTimings, 'image-entrypoint');

    it('pages again after the restart, and keeps the silences', async () => {
      const silence = await fetch(`${am.amUrl()}/api/v2/silences`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          matchers: [{ name: 'alertname', value: 'PlannedMaintenance', isRegex: false }],
          startsAt: new Date().toISOString(),
          endsAt: new Date(Date.now() + 3_600_000).toISOString(),
          createdBy: 'restart test',
          comment: 'must survive a restart',
        }),
      });
      expect(silence.status).toBe(200);
      const { silenceID } = (await silence.json()) as { silenceID: string };

      await outageAcrossRestart(am);
      await waitFor(
        'the page after the restart',
        async () => (firingPages(am.got) === 2 ? true : undefined),
        8000,
      );
      const after = (await (await fetch(`${am.amUrl()}/api/v2/silence/${silenceID}`)).json()) as {
        status: { state: string };
      };
      expect(after.status.state).toBe('active');
    }, 60000);
  });
});
