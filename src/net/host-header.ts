import { isLoopback } from './loopback.js';

/** The name part of a `Host` header: `localhost:8420` → `localhost`, `[::1]:8420` → `[::1]`. */
export function hostNameOf(hostHeader: string): string {
  if (hostHeader.startsWith('[')) {
    const end = hostHeader.indexOf(']');
    return end === -1 ? hostHeader : hostHeader.slice(0, end + 1);
  }
  const colon = hostHeader.indexOf(':');
  return colon === -1 ? hostHeader : hostHeader.slice(0, colon);
}

/** Whether a request's `Host` header names this machine (`localhost`, `127.x.x.x`, `[::1]`, any port). */
export function isLoopbackHostHeader(hostHeader: string | undefined): boolean {
  return hostHeader !== undefined && hostHeader !== '' && isLoopback(hostNameOf(hostHeader));
}
