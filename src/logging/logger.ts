import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { censorValue, CREDENTIAL_FIELDS, redactCredentials } from './redact.js';

export type { Logger } from 'pino';

/** pino matches serializers by exact key: each credential field in the spellings we use. */
const CREDENTIAL_SERIALIZERS = Object.fromEntries(
  [...CREDENTIAL_FIELDS, 'Authorization', 'clientSecret', 'apiKeys'].map((key) => [key, censorValue]),
);

export function createLogger(level: string, destination?: DestinationStream | NodeJS.WritableStream): Logger {
  const options: LoggerOptions = {
    level,
    base: undefined,
    // No code path can log a credential by accident (redact.ts): log lines are walked at any depth; a child
    // logger's bindings skip pino's formatters, so its credential-named fields are censored by serializers.
    formatters: { log: redactCredentials },
    serializers: CREDENTIAL_SERIALIZERS,
  };
  // pino.destination writes asynchronously off the hot path; tests pass their own stream.
  return destination ? pino(options, destination) : pino(options, pino.destination({ sync: false }));
}
