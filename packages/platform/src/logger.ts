import pino from 'pino';

/** One pino logger per process; request handlers take a child with the request id. */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  base: { service: process.env.MMS_SERVICE ?? 'mms' },
  redact: ['req.headers.authorization', '*.snils', '*.birthDate'],
});
export type Logger = pino.Logger;
