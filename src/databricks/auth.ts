import type { Config as SdkConfig } from '@databricks/sdk-experimental';
import type { Config } from '../config/schema.js';
import { createSdkConfig, scrub, secretsOf } from './sdk-config.js';

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
    return this.sdk.authType ?? 'unknown';
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
      throw new Error(`Databricks authentication failed: ${scrub(messageOf(error), this.secrets)}`);
    }
    const value = headers.get('authorization');
    if (!value) throw new Error('Databricks authentication produced no Authorization header');
    return value;
  }
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
  const reason = scrub(messageOf(error), secretsOf(settings)).split('\n')[0];
  return (
    `Cannot authenticate to Databricks: ${reason}. ` +
    `Tried ${tried.join(', ')}. ` +
    'Fix: set DATABRICKS_HOST and DATABRICKS_TOKEN, or run `databricks auth login --host <workspace-url>` and pass --profile, ' +
    'or use --demo to try dbx-proxy against the built-in emulator.'
  );
}
