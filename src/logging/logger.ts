import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * Every header or field that can carry a credential. pino replaces them with
 * "[redacted]" before a line is serialised, so no code path can log a token by
 * accident (the secrets test collects every log line and checks).
 */
export const REDACTED_PATHS = [
  'authorization',
  'headers.authorization',
  'headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  '*.authorization',
  '*["x-api-key"]',
  'token',
  '*.token',
  'clientSecret',
  '*.clientSecret',
  'client_secret',
  '*.client_secret',
  'access_token',
  '*.access_token',
  'apiKeys',
  '*.apiKeys',
];

export function createLogger(level: string, destination?: DestinationStream | NodeJS.WritableStream): Logger {
  const options: LoggerOptions = {
    level,
    base: undefined,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  // pino.destination writes asynchronously off the hot path; tests pass their own stream.
  return destination ? pino(options, destination) : pino(options, pino.destination({ sync: false }));
}
