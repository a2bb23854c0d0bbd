/**
 * Browser origins (`scheme://host[:port]`), normalised so that a configured
 * origin and a request's `Origin` header compare as plain strings: scheme and
 * host lower-cased, the default port of http/https dropped.
 */
export function normalizeOrigin(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  // An origin names a site, nothing more: a path, query, fragment or user info means it is not one.
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '' && url.pathname !== '/')) return undefined;
  if (!url.host) return undefined;
  return `${url.protocol}//${url.host}`.toLowerCase();
}
