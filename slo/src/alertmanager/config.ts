import { Document } from 'yaml';

/**
 * Where notifications go. Secrets are paths to files (Docker/Swarm secrets or Kubernetes secret
 * volumes), read by Alertmanager itself, so no credential is ever written into the config.
 */
export interface ReceiverSettings {
  /** File holding the Slack-compatible incoming-webhook URL (the URL is the secret). */
  slackApiUrlFile: string;
  slackChannel: string;
  /** SMS gateway webhook endpoint (not secret) and the file with its bearer token. */
  smsWebhookUrl: string;
  smsTokenFile: string;
  /** Ticket email. */
  emailTo: string;
  emailFrom: string;
  smarthost: string;
  smtpUser: string;
  smtpPasswordFile: string;
  /** Real relays must use STARTTLS; only the lab's sink on a private network may not. */
  smtpRequireTls: boolean;
}

/** The lab: everything lands in tools/alert-sink, secrets mounted at /run/secrets. */
export const LAB_RECEIVERS: ReceiverSettings = {
  slackApiUrlFile: '/run/secrets/alert_slack_webhook_url',
  slackChannel: '#dhakacart-oncall',
  smsWebhookUrl: 'http://alert-sink:8080/hooks/sms',
  smsTokenFile: '/run/secrets/alert_sms_token',
  emailTo: 'oncall-tickets@dhakacart.test',
  emailFrom: 'alertmanager@dhakacart.test',
  smarthost: 'alert-sink:2525',
  smtpUser: 'alertmanager',
  smtpPasswordFile: '/run/secrets/alert_smtp_password',
  smtpRequireTls: false,
};

export interface Timings {
  pageGroupWait: string;
  ticketGroupWait: string;
  groupInterval: string;
  pageRepeat: string;
  ticketRepeat: string;
}

export const TIMINGS: Timings = {
  // Pages go out fast; tickets wait longer so related alerts arrive as one email.
  pageGroupWait: '10s',
  ticketGroupWait: '30s',
  // Also how long a resolution can wait before it is sent.
  groupInterval: '5m',
  pageRepeat: '1h',
  ticketRepeat: '24h',
};

const SLACK_TITLE =
  '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }}';
const SLACK_TEXT =
  '{{ range .Alerts }}*{{ .Labels.severity }}* {{ .Annotations.summary }}{{ if .Labels.sloth_slo }} (SLO {{ .Labels.sloth_slo }}){{ end }}\nRunbook: {{ .Annotations.runbook_url }}\n{{ end }}';

/** `timings` is overridable only so tests can watch a resolution without waiting 5 minutes. */
export function alertmanagerConfig(
  r: ReceiverSettings,
  timings: Timings = TIMINGS,
): Record<string, unknown> {
  return {
    global: { resolve_timeout: '5m' },
    route: {
      // Anything without a known severity still reaches a human, as a ticket.
      receiver: 'ticket-email',
      group_by: ['alertname', 'sloth_id', 'severity'],
      group_wait: timings.ticketGroupWait,
      group_interval: timings.groupInterval,
      repeat_interval: timings.ticketRepeat,
      routes: [
        {
          // Release announcements (tools/release): started, promoted, failed, rolled back. Every
          // event is its own group, sent at once, and never repeated or "resolved".
          matchers: ['alertname="DhakaCartRelease"'],
          receiver: 'release-announcements',
          group_by: ['alertname', 'event', 'version'],
          group_wait: '0s',
          group_interval: '10s',
          repeat_interval: '24h',
        },
        {
          matchers: ['severity="page"'],
          receiver: 'page-chat-and-sms',
          group_wait: timings.pageGroupWait,
          repeat_interval: timings.pageRepeat,
        },
        { matchers: ['severity="ticket"'], receiver: 'ticket-email' },
      ],
    },
    inhibit_rules: [
      {
        // A page already has someone's attention: its slower ticket twin is noise.
        source_matchers: ['severity="page"'],
        target_matchers: ['severity="ticket"'],
        equal: ['alertname', 'sloth_id'],
      },
      {
        // The site is down for users: per-target scrape failures are symptoms of the same thing.
        source_matchers: ['alertname="BlackboxProbeFailed"'],
        target_matchers: ['alertname="ScrapeTargetDown"'],
      },
    ],
    receivers: [
      {
        name: 'release-announcements',
        slack_configs: [
          {
            api_url_file: r.slackApiUrlFile,
            channel: r.slackChannel,
            send_resolved: false,
            title: 'Release {{ .CommonLabels.event }}: {{ .CommonLabels.version }}',
            text: '{{ range .Alerts }}{{ .Annotations.summary }}\n{{ end }}',
          },
        ],
        webhook_configs: [
          {
            url: r.smsWebhookUrl,
            send_resolved: false,
            max_alerts: 1,
            http_config: { authorization: { type: 'Bearer', credentials_file: r.smsTokenFile } },
          },
        ],
        email_configs: [
          {
            to: r.emailTo,
            from: r.emailFrom,
            smarthost: r.smarthost,
            auth_username: r.smtpUser,
            auth_password_file: r.smtpPasswordFile,
            require_tls: r.smtpRequireTls,
            send_resolved: false,
          },
        ],
      },
      {
        name: 'page-chat-and-sms',
        slack_configs: [
          {
            api_url_file: r.slackApiUrlFile,
            channel: r.slackChannel,
            send_resolved: true,
            title: SLACK_TITLE,
            text: SLACK_TEXT,
          },
        ],
        webhook_configs: [
          {
            url: r.smsWebhookUrl,
            send_resolved: true,
            // An SMS is short: at most 5 alerts per message.
            max_alerts: 5,
            http_config: { authorization: { type: 'Bearer', credentials_file: r.smsTokenFile } },
          },
        ],
      },
      {
        name: 'ticket-email',
        email_configs: [
          {
            to: r.emailTo,
            from: r.emailFrom,
            smarthost: r.smarthost,
            auth_username: r.smtpUser,
            auth_password_file: r.smtpPasswordFile,
            require_tls: r.smtpRequireTls,
            send_resolved: true,
          },
        ],
      },
    ],
  };
}

export function renderAlertmanagerConfig(r: ReceiverSettings, timings: Timings = TIMINGS): string {
  return (
    '# Code generated by slo/src/alertmanager/render.ts from slo/src/alertmanager/config.ts. DO NOT EDIT.\n' +
    new Document(alertmanagerConfig(r, timings)).toString({ lineWidth: 0, indentSeq: false })
  );
}
