import type { Config as SdkConfig } from '@databricks/sdk-experimental';
import type { Config } from '../config/schema.js';
import { ProxyError } from '../errors/proxy-error.js';
import { networkFailure } from '../upstream/network-error.js';
import { knownAuthCause } from './auth-causes.js';
import { createSdkConfig, scrub, secretsOf } from './sdk-config.js';
import { explainTlsFailure, workspaceUrl } from './tls-causes.js';

/**
 * How long an Authorization value the SDK handed out is reused without asking
 * it again. The SDK refreshes a token 40 s before it expires, so a value it
 * gave is good for at least that long; reusing it for one second keeps the
 * SDK's chain of awaits (about 20 us a call under load, measured) off every
 * request while a token is still never sent within 39 s of its expiry.
 */
export const AUTHORIZATION_REUSE_MS = 1_000;

/**
 * Upstream credentials. Every upstream call asks for its headers here; the SDK
 * does the real work (token sources, refresh 40 s before expiry), and this
 * class adds what the SDK lacks: a single flight. The SDK has no guard around
 * a refresh, so fifty requests arriving as a token expires would send fifty
 * token requests; here they share one.
 */
export class UpstreamAuth {
  private sdk: SdkConfig;
  private inFlight: Promise<string> | undefined;
  private recent: { value: string; until: number } | undefined;
  private readonly secrets: string[];
  /** The auth type the chain settled on last; a fresh SDK Config (after invalidate()) knows none until it authenticates. */
  private settledMethod: string | undefined;
  /** How many different tokens the SDK has handed out (the first at start included): refreshes, for /metrics. */
  tokensSeen = 0;

  private constructor(
    private readonly settings: Config['databricks'],
    sdk: SdkConfig,
    readonly host: URL,
  ) {
    this.sdk = sdk;
    this.secrets = secretsOf(settings);
  }

  /** Resolves the credential chain and fetches a first token; fails with a message a person can act on. */
  static async warm(settings: Config['databricks']): Promise<UpstreamAuth> {
    const sdk = createSdkConfig(settings);
    try {
      await sdk.ensureResolved();
      const host = await sdk.getHost();
      const auth = new UpstreamAuth(settings, sdk, host);
      await auth.authorization();
      return auth;
    } catch (error) {
      throw new AuthStartupError(describeAuthFailure(settings, error));
    }
  }

  /** The auth type the SDK settled on (pat, oauth-m2m, databricks-cli, ...). */
  get method(): string {
    return this.sdk.authType ?? this.settledMethod ?? 'unknown';
  }

  /** The `Authorization` value for one upstream call: at once while a recent one is reused, else once the SDK gives it. */
  authorization(): string | Promise<string> {
    const recent = this.recent;
    if (recent && performance.now() < recent.until) return recent.value;
    this.inFlight ??= this.fetchAuthorization()
      .then((value) => {
        this.recent = { value, until: performance.now() + AUTHORIZATION_REUSE_MS };
        return value;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  /** The Authorization value handed out last (possibly past its reuse window), without asking the SDK. */
  get lastAuthorization(): string | undefined {
    return this.recent?.value;
  }

  /**
   * Forget the cached token (after an upstream 401: the token may have been
   * revoked). A fresh SDK Config has an empty token cache, so the next call
   * fetches a new token through the same chain.
   */
  invalidate(): void {
    // Expired, not forgotten: lastAuthorization still names it, since an upstream may yet echo it.
    if (this.recent) this.recent.until = 0;
    this.sdk = createSdkConfig(this.settings);
  }

  private async fetchAuthorization(): Promise<string> {
    const headers = new Headers();
    try {
      await this.sdk.authenticate(headers);
    } catch (error) {
      throw this.tokenFailure(error);
    }
    this.settledMethod = this.sdk.authType ?? this.settledMethod;
    const value = headers.get('authorization');
    if (!value) throw new ProxyError('authentication', 'Databricks authentication produced no Authorization header');
    if (value !== this.recent?.value) this.tokensSeen += 1;
    return value;
  }

  /**
   * A token the SDK could not get (after an upstream 401, or when the last
   * one expired), as the error the client sees. Unreachable is a 502 like any
   * unreachable upstream; anything else means the workspace refused the
   * proxy's own credentials (a revoked OAuth secret, an expired CLI login): a
   * 401 that says so and what to do, rather than an internal error. The SDK's
   * error is not kept as the cause: it carries the SDK's config, secrets
   * included.
   */
  private tokenFailure(error: unknown): ProxyError {
    const [reason = ''] = scrub(sdkMessageOf(error), this.secrets).split('\n');
    if (networkFailure(error) !== undefined || UNREACHABLE.test(reason)) {
      return new ProxyError('upstream', `Could not reach the Databricks workspace for a token: ${reason}`);
    }
    return new ProxyError(
      'authentication',
      `Databricks authentication failed: ${reason}. The proxy's Databricks credentials (${this.method}) were refused: ` +
        'renew them (`databricks auth login`, or a new token or client secret).',
    );
  }
}

/** Network failures the SDK reports only in its message: it drops the underlying error and its code. */
const UNREACHABLE = /socket hang up|fetch failed|\bE(?:CONNREFUSED|CONNRESET|TIMEDOUT|NOTFOUND|AI_AGAIN|HOSTUNREACH|NETUNREACH|PIPE)\b/i;

/** The SDK's own words, without the config dump it appends to a ConfigError's message. */
function sdkMessageOf(error: unknown): string {
  const base = (error as { baseMessage?: unknown } | null)?.baseMessage;
  return typeof base === 'string' ? base : messageOf(error);
}

export class AuthStartupError extends Error {
  override readonly name = 'AuthStartupError';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One message: what failed, what the chain tried, and how to fix it. Never contains a secret. */
function describeAuthFailure(settings: Config['databricks'], error: unknown): string {
  const env = process.env;
  const tried = [
    settings.token || env.DATABRICKS_TOKEN ? 'a personal access token (DATABRICKS_TOKEN)' : undefined,
    (settings.clientId || env.DATABRICKS_CLIENT_ID) && 'OAuth M2M (DATABRICKS_CLIENT_ID / DATABRICKS_CLIENT_SECRET)',
    `the ${settings.profile ?? env.DATABRICKS_CONFIG_PROFILE ?? 'DEFAULT'} profile of ${settings.configFile ?? env.DATABRICKS_CONFIG_FILE ?? '~/.databrickscfg'}`,
    'the Databricks CLI (databricks auth token)',
  ].filter(Boolean);
  const reason = scrub(messageOf(error), secretsOf(settings)).split('\n')[0] ?? '';
  // A cause we recognise (a missing profile, a missing CLI, no credential, the wrong scheme) is said with its own fix.
  const known = knownAuthCause(settings, reason, env) ?? explainTlsFailure(reason, workspaceUrl(settings.host ?? env.DATABRICKS_HOST));
  if (known) return `Cannot authenticate to Databricks: ${known}`;
  return (
    `Cannot authenticate to Databricks: ${reason}. ` +
    `Tried ${tried.join(', ')}. ` +
    'Fix: set DATABRICKS_HOST and DATABRICKS_TOKEN, or run `databricks auth login --host <workspace-url>` and pass --profile, ' +
    'or use --demo to try dbx-proxy against the built-in emulator.'
  );
}
