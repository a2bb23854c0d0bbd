import type { Config } from '../config/schema.js';

/**
 * Every spelling in which a credential can travel, and so be echoed back by a
 * workspace: as is, URL-encoded (an OAuth form body), and base64 / base64url
 * (an HTTP Basic header, alone or as `client_id:client_secret`), padded or not
 * (the scrubber removes longer spellings first, so padding goes with its value).
 */
export function spellingsOf(secret: string): string[] {
  return [secret, encodeURIComponent(secret), ...base64Spellings(secret)];
}

/** The HTTP Basic value of an OAuth client (RFC 6749 §2.3.1), decoded and encoded. */
export function basicPairSpellings(clientId: string, clientSecret: string): string[] {
  const pair = `${clientId}:${clientSecret}`;
  return [pair, ...base64Spellings(pair)];
}

function base64Spellings(text: string): string[] {
  const bytes = Buffer.from(text, 'utf8');
  const padded = bytes.toString('base64');
  return [padded, padded.replace(/=+$/, ''), bytes.toString('base64url')];
}

/**
 * The credentials the proxy holds from its settings and the environment (the
 * SDK reads DATABRICKS_* itself, so those count even when the settings are
 * empty), plus the local API keys clients present: every literal a scrubber
 * must remove. Credentials from a profile or the CLI are not visible here;
 * the tokens they yield are remembered as the proxy receives them.
 */
/** What the proxy's settings say about its credentials. */
export interface CredentialSettings {
  databricks: Config['databricks'];
  server: { apiKeys: readonly string[] };
}

export function configuredSecretSpellings(config: CredentialSettings, env: NodeJS.ProcessEnv = process.env): string[] {
  const { databricks } = config;
  const secrets = [databricks.token, databricks.clientSecret, env.DATABRICKS_TOKEN, env.DATABRICKS_CLIENT_SECRET, env.DATABRICKS_PASSWORD, ...config.server.apiKeys];
  const clients: [string | undefined, string | undefined][] = [
    [databricks.clientId ?? env.DATABRICKS_CLIENT_ID, databricks.clientSecret ?? env.DATABRICKS_CLIENT_SECRET],
    [env.DATABRICKS_USERNAME, env.DATABRICKS_PASSWORD],
  ];
  return [
    ...secrets.filter(isSet).flatMap(spellingsOf),
    ...clients.flatMap(([id, secret]) => (isSet(id) && isSet(secret) ? basicPairSpellings(id, secret) : [])),
  ];
}

function isSet(value: string | undefined): value is string {
  return typeof value === 'string' && value.length > 0;
}
