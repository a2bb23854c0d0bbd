import { ProxyError } from '../errors/proxy-error.js';
import { configuredSecretSpellings, spellingsOf, type CredentialSettings } from './credential-forms.js';

export const REDACTED = '[redacted]';

/**
 * Credentials written after a marker that announces one, whatever their
 * value: an Authorization scheme (`Bearer x`, `Basic x`) or a credential
 * field (`client_secret=x`, `"access_token": "x"`). They catch what no list
 * can know: a token minted by an OAuth server or the CLI and never seen by
 * the proxy. Basic's value is held to base64 characters, so ordinary prose
 * after the word stays readable.
 */
const MARKED: readonly [RegExp, string][] = [
  [/\b(Bearer\s+)(?!\[redacted\])[^\s"',;]+/gi, `$1${REDACTED}`],
  [/\b(Basic\s+)(?!\[redacted\])[A-Za-z0-9+/_-]{6,}={0,2}/g, `$1${REDACTED}`],
  [/\b((?:client_secret|access_token|refresh_token|id_token|password)["']?\s*[:=]\s*["']?)(?!\[redacted\])[^\s"'&,;}]+/gi, `$1${REDACTED}`],
];

/** Literals shorter than this are left alone: removing every "abc" from a message would garble it, and no real credential is that short. */
const SHORTEST_SECRET = 4;
/** Tokens handed out lately (the current one and those an upstream may still echo) that are remembered. */
const REMEMBERED_TOKENS = 4;

/**
 * The one place credentials are removed from text the proxy did not write
 * itself. Every path that can carry a workspace's words uses it: the start-up
 * error on stderr, the catalog refresh and gateway probe warnings, token
 * endpoint errors, relayed inference errors and stream error events, and the
 * log lines that quote any of them. A workspace that echoes what it was sent
 * must not turn the proxy into a way to read the user's credentials.
 *
 * Removed: every configured and environment credential and every local API
 * key in each spelling it can travel in (credential-forms.ts), the tokens the
 * proxy was handed lately (remember()), and anything after a credential
 * marker (MARKED).
 */
export class CredentialScrubber {
  private readonly fixed: string[];
  private remembered: string[] = [];
  private literals: string[];

  constructor(spellings: readonly string[]) {
    this.fixed = [...new Set(spellings)].filter((text) => text.length >= SHORTEST_SECRET);
    this.literals = longestFirst(this.fixed);
  }

  static forConfig(config: CredentialSettings, env: NodeJS.ProcessEnv = process.env): CredentialScrubber {
    return new CredentialScrubber(configuredSecretSpellings(config, env));
  }

  /**
   * A credential the proxy was handed while running (an OAuth or CLI token,
   * as an Authorization value or bare): removed from now on. The last few are
   * kept, since an upstream may echo one a moment after it was replaced.
   */
  remember(credential: string): void {
    const token = credential.replace(/^(?:Bearer|Basic)\s+/i, '');
    if (this.remembered.includes(token)) return;
    this.remembered = [token, ...this.remembered].slice(0, REMEMBERED_TOKENS);
    this.literals = longestFirst([...this.fixed, ...this.remembered.flatMap(spellingsOf)].filter((text) => text.length >= SHORTEST_SECRET));
  }

  /** The text without any credential. */
  text(text: string): string {
    let out = text;
    for (const literal of this.literals) if (out.includes(literal)) out = out.split(literal).join(REDACTED);
    for (const [pattern, replacement] of MARKED) out = out.replace(pattern, replacement);
    return out;
  }

  /**
   * The same error with its message scrubbed (itself when there was nothing
   * to remove); `callerToken` is one more credential to remove, the caller's
   * own (passthrough auth).
   */
  error(error: ProxyError, callerToken?: string): ProxyError {
    const scrubbed = this.text(error.message);
    const message = callerToken === undefined ? scrubbed : withoutSecret(scrubbed, callerToken);
    return message === error.message ? error : withMessage(error, message);
  }

  /** A thrown value for pino's `err` field: its type, message and stack, scrubbed (the stack repeats the message). */
  loggable(error: unknown): { type: string; message: string; stack?: string } {
    if (!(error instanceof Error)) return { type: typeof error, message: this.text(String(error)) };
    return { type: error.name, message: this.text(error.message), ...(error.stack ? { stack: this.text(error.stack) } : {}) };
  }

  /** Any thrown value as a scrubbed one-line description, for a log line (never the raw error: its message may quote the workspace). */
  describe(error: unknown): string {
    return this.text(error instanceof Error ? error.message : String(error));
  }
}

/** The text without any spelling of one secret (a credential known to one request only). */
export function withoutSecret(text: string, secret: string): string {
  let out = text;
  for (const literal of longestFirst(spellingsOf(secret).filter((form) => form.length >= SHORTEST_SECRET))) {
    if (out.includes(literal)) out = out.split(literal).join(REDACTED);
  }
  return out;
}

/** Longer spellings first, so one that contains another is removed whole. */
function longestFirst(literals: readonly string[]): string[] {
  return [...new Set(literals)].sort((a, b) => b.length - a.length);
}

function withMessage(error: ProxyError, message: string): ProxyError {
  return new ProxyError(error.kind, message, {
    status: error.status,
    ...(error.param !== undefined ? { param: error.param } : {}),
    ...(error.upstreamCode !== undefined ? { upstreamCode: error.upstreamCode } : {}),
    ...(error.retryAfter !== undefined ? { retryAfter: error.retryAfter } : {}),
    // The cause is dropped: it may hold the unscrubbed message (or an SDK config with secrets).
  });
}
