import pino from 'pino';

/** One pino logger per process; request handlers take a child with the request id. */
export const logger = pino({
  level: process.env.LOG_LEVEL || (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  base: { service: process.env.MMS_SERVICE ?? 'mms' },
  redact: ['req.headers.authorization', '*.snils', '*.birthDate'],
  // Readable lines for a person at a terminal (npm start); JSON lines for everything that collects logs.
  transport: process.stdout.isTTY && process.env.NODE_ENV !== 'test' && process.env.LOG_FORMAT !== 'json'
    ? { target: 'pino-pretty', options: { ignore: 'pid,hostname', translateTime: 'HH:MM:ss' } } : undefined,
});
export type Logger = pino.Logger;
