import type { Config as SdkConfig } from '@databricks/sdk-experimental';

type SdkFetch = SdkConfig['fetch'];
type OidcEndpoints = NonNullable<Awaited<ReturnType<SdkConfig['getOidcEndpoints']>>>;

/**
 * The HTTP calls the Databricks SDK makes for a token (OIDC discovery, the
 * OAuth token request), made abortable. The SDK sets no time limit on them
 * and takes no signal or agent from its caller, so a token endpoint that
 * accepts the connection and never answers would hold its socket forever.
 * The proxy already stops waiting after upstream.controlPlaneTimeoutMs
 * (auth.ts); this also closes the socket then, by handing each of those
 * calls the signal of the current attempt. It also remembers which URL is
 * being waited on, so the timeout can name it.
 *
 * Installed per SDK Config instance, on two of its methods: `fetch` (public,
 * used for discovery) and the token client's `fetch` (private in the SDK's
 * types, used for the token request). If a later SDK drops either, the calls
 * are simply not abortable any more; the time limit still holds.
 */
export class SdkCalls {
  private controller = new AbortController();
  /** The URL of the SDK call in progress, if one is. */
  pendingUrl: string | undefined;

  /** Wraps the HTTP calls of one SDK Config (a fresh one after each invalidation). */
  install(sdk: SdkConfig): void {
    sdk.fetch = this.bounded(sdk.fetch.bind(sdk));
    const discover = sdk.getOidcEndpoints.bind(sdk);
    sdk.getOidcEndpoints = async () => {
      const endpoints = await discover();
      if (endpoints) this.wrapClients(endpoints);
      return endpoints;
    };
  }

  /** Ends the calls in progress (the attempt ran out of time); later calls get a fresh signal. */
  abort(reason: Error): void {
    this.controller.abort(reason);
    this.controller = new AbortController();
    this.pendingUrl = undefined;
  }

  private wrapClients(endpoints: OidcEndpoints): void {
    const getClient = endpoints.getClient.bind(endpoints);
    endpoints.getClient = (options) => {
      const client = getClient(options);
      const own = client as unknown as { fetch?: SdkFetch };
      if (typeof own.fetch === 'function') own.fetch = this.bounded(own.fetch.bind(client));
      return client;
    };
  }

  private bounded(fetch: SdkFetch): SdkFetch {
    return (url, options: Record<string, unknown> | undefined) => {
      const signal = this.controller.signal;
      this.pendingUrl = url;
      const call = fetch(url, { ...options, signal });
      const settled = (): void => {
        if (this.pendingUrl === url) this.pendingUrl = undefined;
      };
      call.then(settled, settled);
      return call;
    };
  }
}
