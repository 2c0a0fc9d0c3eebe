import * as fs from 'node:fs';
import { wholeNumberText } from '@dhakacart/numeric-text';
import { z } from 'zod';

// Secrets come from files (Docker/Swarm secrets), never from the image or plain env values.
const env = z.object({
  SINK_HOST: z.string().default('0.0.0.0'),
  SINK_HTTP_PORT: wholeNumberText(0, 65535).default(8080),
  SINK_SMTP_PORT: wholeNumberText(0, 65535).default(2525),
  SINK_WEBHOOK_TOKEN_FILE: z.string().optional(),
  SINK_SMTP_USER: z.string().optional(),
  SINK_SMTP_PASSWORD_FILE: z.string().optional(),
});

export interface SinkConfig {
  host: string;
  httpPort: number;
  smtpPort: number;
  webhookToken?: string;
  smtpUser?: string;
  smtpPassword?: string;
}

const readSecret = (file: string | undefined): string | undefined =>
  file === undefined ? undefined : fs.readFileSync(file, 'utf8').trim();

export function loadConfig(source: NodeJS.ProcessEnv = process.env): SinkConfig {
  const e = env.parse(source);
  if ((e.SINK_SMTP_USER === undefined) !== (e.SINK_SMTP_PASSWORD_FILE === undefined)) {
    throw new Error('SINK_SMTP_USER and SINK_SMTP_PASSWORD_FILE must be set together');
  }
  return {
    host: e.SINK_HOST,
    httpPort: e.SINK_HTTP_PORT,
    smtpPort: e.SINK_SMTP_PORT,
    webhookToken: readSecret(e.SINK_WEBHOOK_TOKEN_FILE),
    smtpUser: e.SINK_SMTP_USER,
    smtpPassword: readSecret(e.SINK_SMTP_PASSWORD_FILE),
  };
}
