import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Keys whose values never reach a log line (issue 16, privacy): passwords, session ids, cookies
 * and tokens, card data, addresses and phone numbers, and the email (logs identify a customer by
 * user id only).
 */
export const REDACTED_KEYS = [
  'password',
  'newPassword',
  'currentPassword',
  'passwordHash',
  'cookie',
  'authorization',
  'sessionId',
  'sid',
  'token',
  'accessToken',
  'refreshToken',
  'idHash',
  'cardNumber',
  'card',
  'pan',
  'cvv',
  'cvc',
  'expiry',
  'shippingAddress',
  'address',
  'line1',
  'line2',
  'postalCode',
  'phone',
  'email',
];

/**
 * JSON logs. Redaction is a second line of defence: request bodies and headers are never logged,
 * but a stray object carrying a password, cookie or card number must not leak either.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'api' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        // Top level, one and two levels down (e.g. `body.password`, `err.body.shippingAddress`).
        paths: REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]).concat([
          'headers.cookie',
          'headers.authorization',
          'headers["set-cookie"]',
          '*.headers.cookie',
          '*.headers.authorization',
          '*.headers["set-cookie"]',
        ]),
        censor: '[redacted]',
      },
    },
    destination,
  );
}
