// What the browser journeys need to know, read once from the environment and checked.
import { readFileSync } from 'node:fs';

export interface E2eConfig {
  baseUrl: string;
  origin: string;
  chromiumPath: string;
  admin: { email: string; password: string } | null;
  /** Shell commands that really stop and start the API (journey 7). */
  apiStop: string | null;
  apiStart: string | null;
  screenshotDir: string;
}

export class E2eConfigError extends Error {}

export function readE2eConfig(env: NodeJS.ProcessEnv, screenshotDir: string): E2eConfig | null {
  const raw = env.E2E_BASE_URL?.trim();
  // The README's test command sets E2E_REQUIRED: there, a journey that would skip is a failure.
  if (env.E2E_REQUIRED === '1') {
    const missing = [
      'E2E_BASE_URL',
      'E2E_ADMIN_CREDENTIALS_FILE',
      'E2E_API_STOP_CMD',
      'E2E_API_START_CMD',
    ].filter((k) => !env[k]?.trim());
    if (missing.length)
      throw new E2eConfigError(`E2E_REQUIRED=1 but ${missing.join(', ')} not set`);
  }
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new E2eConfigError(
      `E2E_BASE_URL must be a URL such as http://127.0.0.1:8080, got "${raw}"`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new E2eConfigError(`E2E_BASE_URL must be http(s), got "${raw}"`);
  }
  let admin: E2eConfig['admin'] = null;
  if (env.E2E_ADMIN_CREDENTIALS_FILE) {
    // The lab's .lab/admin.json: {"email": ..., "password": ...}
    const j = JSON.parse(readFileSync(env.E2E_ADMIN_CREDENTIALS_FILE, 'utf8')) as {
      email?: unknown;
      password?: unknown;
    };
    if (typeof j.email !== 'string' || typeof j.password !== 'string') {
      throw new E2eConfigError(
        'E2E_ADMIN_CREDENTIALS_FILE must hold {"email": "...", "password": "..."}',
      );
    }
    admin = { email: j.email, password: j.password };
  } else if (env.E2E_ADMIN_EMAIL) {
    const file = env.E2E_ADMIN_PASSWORD_FILE;
    if (!file)
      throw new E2eConfigError(
        'E2E_ADMIN_EMAIL is set; E2E_ADMIN_PASSWORD_FILE must name the password file',
      );
    admin = { email: env.E2E_ADMIN_EMAIL, password: readFileSync(file, 'utf8').trim() };
  }
  return {
    baseUrl: url.origin,
    origin: url.origin,
    chromiumPath: env.E2E_CHROMIUM ?? '/usr/bin/chromium',
    admin,
    apiStop: env.E2E_API_STOP_CMD?.trim() || null,
    apiStart: env.E2E_API_START_CMD?.trim() || null,
    screenshotDir,
  };
}
