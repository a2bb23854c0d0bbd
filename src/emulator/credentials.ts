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

/**
 * A workspace user with a personal access token of their own, for a proxy
 * that passes each caller's token through: the transcript names the user
 * whose token reached each request. `permitted: false` is a user the
 * workspace knows but who may not use model serving (every call: 403).
 */
export interface WorkspaceUser {
  name: string;
  token: string;
  permitted?: boolean;
}

/** Who a request's token belongs to: a named user, `pat` (an unnamed PAT), or the M2M client id a token was issued to. */
export interface Principal {
  name: string;
  permitted: boolean;
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
  private readonly patOwners: Principal[];
  private readonly clientDigests: Map<string, Buffer>;
  /** Issued token digest (hex) -> expiry (epoch ms) and the client it was issued to. */
  private readonly issued = new Map<string, { expiresAt: number; clientId: string }>();

  constructor(
    pats: readonly string[],
    clients: readonly M2mClient[],
    public tokenExpiresInSeconds: number,
    users: readonly WorkspaceUser[] = [],
  ) {
    this.patDigests = [...pats.map(digest), ...users.map((user) => digest(user.token))];
    this.patOwners = [
      ...pats.map(() => ({ name: 'pat', permitted: true })),
      ...users.map((user) => ({ name: user.name, permitted: user.permitted ?? true })),
    ];
    this.clientDigests = new Map(clients.map((client) => [client.clientId, digest(client.clientSecret)]));
  }

  /** Whether the id is a known client and the secret is its secret. */
  checkClient(clientId: string, clientSecret: string): boolean {
    const expected = this.clientDigests.get(clientId);
    // Compare against a dummy for an unknown id too, so both paths cost the same.
    const ok = sameSecret(expected ?? digest(''), clientSecret);
    return ok && expected !== undefined;
  }

  /** A fresh random access token for a client, remembered until it expires. */
  issue(clientId: string, now = Date.now()): IssuedToken {
    this.sweep(now);
    const accessToken = randomBytes(32).toString('base64url');
    const expiresIn = this.tokenExpiresInSeconds;
    this.issued.set(digest(accessToken).toString('hex'), { expiresAt: now + expiresIn * 1000, clientId });
    return { accessToken, expiresIn };
  }

  /** Whom a bearer token belongs to (a configured PAT or an unexpired issued token), or undefined. */
  principalOf(token: string, now = Date.now()): Principal | undefined {
    const given = digest(token);
    let owner: Principal | undefined;
    // No early exit: every PAT is compared whatever the outcome.
    this.patDigests.forEach((pat, index) => {
      if (timingSafeEqual(pat, given)) owner ??= this.patOwners[index];
    });
    if (owner) return owner;
    const issued = this.issued.get(given.toString('hex'));
    return issued !== undefined && now < issued.expiresAt ? { name: issued.clientId, permitted: true } : undefined;
  }

  /**
   * Refuses every access token issued so far (the client can still get new
   * ones), with `pats` every personal access token from now on, and with
   * `clients` every OAuth client secret (no new token either): what a
   * workspace admin revoking credentials while the proxy runs looks like.
   */
  revoke(options: { pats?: boolean; clients?: boolean } = {}): void {
    this.issued.clear();
    if (options.pats) {
      this.patDigests.length = 0;
      this.patOwners.length = 0;
    }
    if (options.clients) this.clientDigests.clear();
  }

  /** Forget expired tokens, so a long-running emulator does not accumulate them. */
  private sweep(now: number): void {
    for (const [key, { expiresAt }] of this.issued) if (expiresAt <= now) this.issued.delete(key);
  }
}
