import { randomBytes } from 'node:crypto';
import { createSecret, secretExists } from './secrets';

/** Where the lab's Slack-compatible receiver posts: the sink (the URL is the secret in real life). */
export const LAB_SLACK_WEBHOOK_URL = 'http://alert-sink:8080/hooks/slack';

/**
 * Alertmanager's receiver credentials (stack.monitoring.yml). Made once when absent: in the lab
 * the Slack URL points at the sink and the SMS token and SMTP password are random values both
 * Alertmanager and the sink read. For real receivers, create these secrets with the real values
 * before the first `npm run lab`; existing secrets are never replaced.
 */
export async function ensureMonitoringSecrets(): Promise<string[]> {
  const wanted: Record<string, () => string> = {
    dhakacart_alert_slack_webhook_url: () => LAB_SLACK_WEBHOOK_URL,
    dhakacart_alert_sms_token: () => randomBytes(32).toString('base64url'),
    dhakacart_alert_smtp_password: () => randomBytes(32).toString('base64url'),
  };
  const created: string[] = [];
  for (const [name, value] of Object.entries(wanted)) {
    if (await secretExists(name)) continue;
    await createSecret(name, value());
    created.push(name);
  }
  return created;
}
