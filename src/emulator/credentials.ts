import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The secrets the emulated workspace knows: personal access tokens, OAuth M2M
 * clients, and the access tokens it issued to those clients.
 *
 * Secrets from the outside are never compared with `===`: both sides are
 * hashed to SHA-256 (equal lengths) and compared with timingSafeEqual, and
 * issued tokens are looked up by their digest, so lookup time says nothing
 * about the token itself.
 */

export interface M2mClient {
  clientId: string;
  clientSecret: string;
}

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
}

function digest(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

function sameSecret(expected: Buffer, given: string): boolean {
  return timingSafeEqual(expected, digest(given));
}

export class Credentials {
  private readonly patDigests: Buffer[];
  private readonly clientDigests: Map<string, Buffer>;
  /** Issued token digest (hex) -> expiry, epoch ms. */
  private readonly issued = new Map<string, number>();

  constructor(
    pats: readonly string[],
    clients: readonly M2mClient[],
    public tokenExpiresInSeconds: number,
  ) {
    this.patDigests = pats.map(digest);
    this.clientDigests = new Map(clients.map((client) => [client.clientId, digest(client.clientSecret)]));
  }

  /** Whether the id is a known client and the secret is its secret. */
  checkClient(clientId: string, clientSecret: string): boolean {
    const expected = this.clientDigests.get(clientId);
    // Compare against a dummy for an unknown id too, so both paths cost the same.
    const ok = sameSecret(expected ?? digest(''), clientSecret);
    return ok && expected !== undefined;
  }

  /** A fresh random access token, remembered until it expires. */
  issue(now = Date.now()): IssuedToken {
    this.sweep(now);
    const accessToken = randomBytes(32).toString('base64url');
    const expiresIn = this.tokenExpiresInSeconds;
    this.issued.set(digest(accessToken).toString('hex'), now + expiresIn * 1000);
    return { accessToken, expiresIn };
  }

  /** Whether a bearer token is a configured PAT or an unexpired issued token. */
  accepts(token: string, now = Date.now()): boolean {
    const given = digest(token);
    let isPat = false;
    // No early exit: every PAT is compared whatever the outcome.
    for (const pat of this.patDigests) isPat = timingSafeEqual(pat, given) || isPat;
    if (isPat) return true;
    const expiresAt = this.issued.get(given.toString('hex'));
    return expiresAt !== undefined && now < expiresAt;
  }

  /**
   * Refuses every access token issued so far (the client can still get new
   * ones), with `pats` every personal access token from now on, and with
   * `clients` every OAuth client secret (no new token either): what a
   * workspace admin revoking credentials while the proxy runs looks like.
   */
  revoke(options: { pats?: boolean; clients?: boolean } = {}): void {
    this.issued.clear();
    if (options.pats) this.patDigests.length = 0;
    if (options.clients) this.clientDigests.clear();
  }

  /** Forget expired tokens, so a long-running emulator does not accumulate them. */
  private sweep(now: number): void {
    for (const [key, expiresAt] of this.issued) if (expiresAt <= now) this.issued.delete(key);
  }
}
