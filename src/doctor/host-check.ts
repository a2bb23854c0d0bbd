import { isLoopback } from '../net/loopback.js';
import { explainTlsFailure } from '../databricks/tls-causes.js';
import type { Check } from './check.js';

const REACH_TIMEOUT_MS = 5_000;

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return [cause?.code, cause?.message ?? (error as Error).message].filter(Boolean).join(': ');
}

/**
 * Whether the workspace answers at all, over verified TLS: any HTTP answer to
 * its OIDC discovery document will do. Plain http passes on loopback only (the
 * emulator); anywhere else the credentials would travel unencrypted.
 */
export async function hostCheck(host: string): Promise<Check> {
  const url = new URL(host);
  if (url.protocol === 'http:' && !isLoopback(url.hostname.replace(/^\[|\]$/g, ''))) {
    return { name: 'host', status: 'FAIL', detail: `${host} is plain http: credentials would travel unencrypted`, fix: `use https://${url.host}` };
  }
  try {
    const response = await fetch(`${url.origin}/oidc/.well-known/oauth-authorization-server`, { signal: AbortSignal.timeout(REACH_TIMEOUT_MS) });
    await response.body?.cancel();
    const tls = url.protocol === 'https:' ? `TLS verified${process.env.NODE_EXTRA_CA_CERTS ? ` (with NODE_EXTRA_CA_CERTS=${process.env.NODE_EXTRA_CA_CERTS})` : ''}` : 'plain http on loopback (an emulator)';
    return { name: 'host', status: 'ok', detail: `${url.origin} answers (HTTP ${response.status}); ${tls}` };
  } catch (error) {
    const reason = causeOf(error);
    const tls = explainTlsFailure(reason, url.origin);
    if (tls) {
      const at = tls.indexOf(' Fix: ');
      return { name: 'host', status: 'FAIL', detail: tls.slice(0, at), fix: tls.slice(at + 6) };
    }
    return {
      name: 'host',
      status: 'FAIL',
      detail: `${url.origin} does not answer: ${reason}`,
      fix: 'check the workspace URL and your network or VPN',
    };
  }
}
