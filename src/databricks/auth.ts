import type { Config as SdkConfig } from '@databricks/sdk-experimental';
import type { Config } from '../config/schema.js';
import { ProxyError } from '../errors/proxy-error.js';
import type { CredentialScrubber } from '../secrets/scrubber.js';
import { networkFailure } from '../upstream/network-error.js';
import { knownAuthCause } from './auth-causes.js';
import { untilAborted, withinTime } from './bounded.js';
import { SdkCalls } from './sdk-calls.js';
import { createSdkConfig } from './sdk-config.js';
import { explainTlsFailure, workspaceUrl } from './tls-causes.js';

/**
 * How long an Authorization value the SDK handed out is reused without asking
 * it again. The SDK refreshes a token 40 s before it expires, so a value it
 * gave is good for at least that long; reusing it for one second keeps the
 * SDK's chain of awaits (about 20 us a call under load, measured) off every
 * request while a token is still never sent within 39 s of its expiry.
 */
export const AUTHORIZATION_REUSE_MS = 1_000;

export interface UpstreamAuthOptions {
  /** Longest wait for one token (discovery and token request included): upstream.controlPlaneTimeoutMs. */
  timeoutMs: number;
  /** Removes credentials from the SDK's messages, and learns each token handed out. */
  scrubber: CredentialScrubber;
}

/** One token fetch in progress, and the credential generation it belongs to. */
interface Flight {
  promise: Promise<string>;
  generation: number;
}

/**
 * Upstream credentials. Every upstream call asks for its headers here; the SDK
 * does the real work (token sources, refresh 40 s before expiry), and this
 * class adds what the SDK lacks:
 * - a single flight: fifty requests arriving as a token expires share one
 *   token request (the SDK has no guard around a refresh);
 * - a time limit: a token endpoint that never answers fails that flight
 *   after upstream.controlPlaneTimeoutMs (the SDK sets none), the flight is
 *   cleared, and the next request tries again; each waiting request also
 *   stops at its own deadline or when its client leaves;
 * - exactly one refresh per rejected token: every request that sent a token
 *   the workspace refused reports it (invalidate), and only the first report
 *   of a token still current starts a new one.
 */
export class UpstreamAuth {
  private sdk: SdkConfig;
  private readonly calls = new SdkCalls();
  private flight: Flight | undefined;
  private recent: { value: string; until: number } | undefined;
  /** Bumped by each accepted invalidation: a flight from an older generation may return the refused token. */
  private generation = 0;
  /** The auth type the chain settled on last; a fresh SDK Config (after invalidate()) knows none until it authenticates. */
  private settledMethod: string | undefined;
  /** How many different tokens the SDK has handed out (the first at start included): refreshes, for /metrics. */
  tokensSeen = 0;

  private constructor(
    private readonly settings: Config['databricks'],
    private readonly options: UpstreamAuthOptions,
    sdk: SdkConfig,
    readonly host: URL,
  ) {
    this.sdk = sdk;
    this.calls.install(sdk);
  }

  /** Resolves the credential chain and fetches a first token; fails with a message a person can act on. */
  static async warm(settings: Config['databricks'], options: UpstreamAuthOptions): Promise<UpstreamAuth> {
    const sdk = createSdkConfig(settings);
    try {
      await sdk.ensureResolved();
      const host = await sdk.getHost();
      const auth = new UpstreamAuth(settings, options, sdk, host);
      await auth.authorization();
      return auth;
    } catch (error) {
      throw new AuthStartupError(describeAuthFailure(settings, options.scrubber, error));
    }
  }

  /** The auth type the SDK settled on (pat, oauth-m2m, databricks-cli, ...). */
  get method(): string {
    return this.sdk.authType ?? this.settledMethod ?? 'unknown';
  }

  /**
   * The `Authorization` value for one upstream call: at once while a recent
   * one is reused, else once the SDK gives it. `signal` (the request's
   * deadline and its client) ends this caller's wait, not the shared fetch.
   */
  authorization(signal?: AbortSignal): string | Promise<string> {
    const recent = this.recent;
    if (recent && performance.now() < recent.until) return recent.value;
    if (this.flight?.generation !== this.generation) this.flight = this.startFlight();
    return untilAborted(this.flight.promise, signal);
  }

  /** The Authorization value handed out last (possibly past its reuse window), without asking the SDK. */
  get lastAuthorization(): string | undefined {
    return this.recent?.value;
  }

  /**
   * The workspace refused `rejected` (an upstream 401: the token may have
   * been revoked). The first report of the current token drops it and the
   * SDK's cache (a fresh SDK Config fetches a new token through the same
   * chain); reports of a token already dropped or already replaced (a 401
   * that arrives late, or during the refresh) change nothing, so one refused
   * token causes one refresh.
   */
  invalidate(rejected: string): void {
    if (this.recent?.value !== rejected || this.recent.until === 0) return;
    // Expired, not forgotten: lastAuthorization still names it, since an upstream may yet echo it.
    this.recent.until = 0;
    this.generation += 1;
    this.sdk = createSdkConfig(this.settings);
    this.calls.install(this.sdk);
  }

  private startFlight(): Flight {
    const generation = this.generation;
    const promise = withinTime(this.fetchAuthorization(), this.options.timeoutMs, () => this.tokenTimeout())
      .then((value) => {
        this.options.scrubber.remember(value);
        // A flight overtaken by an invalidation must not bring back the token it replaced.
        if (generation === this.generation) this.recent = { value, until: performance.now() + AUTHORIZATION_REUSE_MS };
        return value;
      })
      .finally(() => {
        // Failed, timed out or done: the next request starts afresh.
        if (this.flight?.promise === promise) this.flight = undefined;
      });
    // Nobody may be waiting any more (every caller aborted): a failure must not be unhandled.
    promise.catch(() => undefined);
    return { promise, generation };
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

  /** The flight ran out of time: its SDK calls are ended (sockets closed), and the client is told which endpoint was silent. */
  private tokenTimeout(): ProxyError {
    const waitingOn = this.calls.pendingUrl;
    const what = waitingOn ? `${waitingOn.split('?')[0]} did not answer` : `the ${this.method} credential chain gave none`;
    const error = new ProxyError(
      'timeout',
      `No Databricks token within upstream.controlPlaneTimeoutMs (${this.options.timeoutMs} ms): ${what}. The next request tries again.`,
    );
    this.calls.abort(error);
    return error;
  }

  /**
   * A token the SDK could not get (after an upstream 401, or when the last
   * one expired), as the error the client sees. Unreachable is a 502 like any
   * unreachable upstream; anything else means the workspace refused the
   * proxy's own credentials (a revoked OAuth secret, an expired CLI login): a
   * 401 that says so and what to do, rather than an internal error. The SDK's
   * error is not kept as the cause: it carries the SDK's config, secrets
   * included; its message is scrubbed, since a token endpoint may echo the
   * client credentials it was sent.
   */
  private tokenFailure(error: unknown): ProxyError {
    const [reason = ''] = this.options.scrubber.text(sdkMessageOf(error)).split('\n');
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
function describeAuthFailure(settings: Config['databricks'], scrubber: CredentialScrubber, error: unknown): string {
  const env = process.env;
  const tried = [
    settings.token || env.DATABRICKS_TOKEN ? 'a personal access token (DATABRICKS_TOKEN)' : undefined,
    (settings.clientId || env.DATABRICKS_CLIENT_ID) && 'OAuth M2M (DATABRICKS_CLIENT_ID / DATABRICKS_CLIENT_SECRET)',
    `the ${settings.profile ?? env.DATABRICKS_CONFIG_PROFILE ?? 'DEFAULT'} profile of ${settings.configFile ?? env.DATABRICKS_CONFIG_FILE ?? '~/.databrickscfg'}`,
    'the Databricks CLI (databricks auth token)',
  ].filter(Boolean);
  const reason = scrubber.text(messageOf(error)).split('\n')[0] ?? '';
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
