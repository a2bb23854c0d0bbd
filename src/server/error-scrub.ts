import type { FastifyRequest } from 'fastify';
import type { Config } from '../config/schema.js';
import { withoutCallerToken } from '../passthrough/caller.js';
import { scrub, secretsOf } from '../databricks/sdk-config.js';
import { ProxyError } from '../errors/proxy-error.js';

/** A `Bearer <credential>` anywhere in a message: the scheme stays, the credential goes. */
const BEARER_VALUE = /\b(Bearer\s+)(?!\[redacted\])[^\s"',;]+/gi;

/**
 * Removes credentials from error messages before a client sees them. Most
 * messages the proxy relays were written by the upstream, which we do not
 * control: a workspace that echoed the token it was sent must not turn the
 * proxy into a way to read the user's Databricks credentials. Scrubbed: the
 * configured and environment credentials, the local API keys, the
 * Authorization value last sent upstream (it may come from a profile, OAuth
 * or the CLI, which the settings do not show; it is the one an upstream could
 * echo, and asking for a fresh one would fetch a token on the error path),
 * any Bearer value, and in passthrough mode the caller's own token.
 */
export function createErrorScrubber(
  databricks: Config['databricks'],
  apiKeys: readonly string[],
  lastAuthorization: () => string | undefined,
): (error: ProxyError, request?: FastifyRequest) => ProxyError {
  const scrubText = createTextScrubber(databricks, apiKeys, lastAuthorization);
  return (error, request) => {
    const message = withoutCallerToken(scrubText(error.message), request);
    return message === error.message ? error : withMessage(error, message);
  };
}

/**
 * The same scrubbing for text already in a client's dialect: the error events
 * of a relayed stream, whose messages the upstream wrote too.
 */
export function createTextScrubber(
  databricks: Config['databricks'],
  apiKeys: readonly string[],
  lastAuthorization: () => string | undefined,
): (text: string) => string {
  const scrubText = scrubberOf(databricks, apiKeys);
  return (text) => scrubText(text, lastAuthorization());
}

function scrubberOf(databricks: Config['databricks'], apiKeys: readonly string[]): (text: string, authorization: string | undefined) => string {
  const fixed = [...secretsOf(databricks), ...apiKeys];
  return (text, authorization) => {
    const token = authorization?.replace(/^\S+\s+/, '');
    return scrub(text, token ? [...fixed, token] : fixed).replace(BEARER_VALUE, '$1[redacted]');
  };
}

function withMessage(error: ProxyError, message: string): ProxyError {
  return new ProxyError(error.kind, message, {
    status: error.status,
    ...(error.param !== undefined ? { param: error.param } : {}),
    ...(error.upstreamCode !== undefined ? { upstreamCode: error.upstreamCode } : {}),
    ...(error.retryAfter !== undefined ? { retryAfter: error.retryAfter } : {}),
    ...(error.cause !== undefined ? { cause: error.cause } : {}),
  });
}
