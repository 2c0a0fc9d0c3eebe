import pino, { type Logger } from 'pino';

export type { Logger };

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
        paths: [
          'password',
          '*.password',
          'passwordHash',
          '*.passwordHash',
          'cookie',
          '*.cookie',
          'headers.cookie',
          'headers.authorization',
          'sessionId',
          '*.sessionId',
          'cardNumber',
          '*.cardNumber',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
