import type { Config } from '../config/schema.js';
import type { UpstreamAuth } from '../databricks/auth.js';
import { chosenProfile, profilesPath, readProfiles } from '../databricks/profiles.js';
import { failure, type Check } from './check.js';

/** Why the SDK's chain settled on this auth type: which setting supplied it. */
function whyChosen(method: string, settings: Config['databricks'], env: NodeJS.ProcessEnv): string {
  const profile = chosenProfile(settings, env);
  const fromProfile = readProfiles(profilesPath(settings, env))?.[profile.name];
  const reasons: Record<string, string | undefined> = {
    pat: settings.token ? 'databricks.token is set' : env.DATABRICKS_TOKEN ? 'DATABRICKS_TOKEN is set' : fromProfile?.token ? `the ${profile.name} profile has a token` : undefined,
    'oauth-m2m': settings.clientId
      ? 'databricks.clientId / clientSecret are set'
      : env.DATABRICKS_CLIENT_ID
        ? 'DATABRICKS_CLIENT_ID / DATABRICKS_CLIENT_SECRET are set'
        : fromProfile?.client_id
          ? `the ${profile.name} profile has client_id / client_secret`
          : undefined,
    'databricks-cli': fromProfile?.auth_type === 'databricks-cli' ? `the ${profile.name} profile signs in through the Databricks CLI` : 'no token or OAuth client is set, and the Databricks CLI has a login',
  };
  return reasons[method] ?? `the SDK's chain settled on it (auth type ${method})`;
}

/** Seconds until a JWT access token expires, from its `exp` claim; undefined for tokens that are not JWTs (PATs). */
function jwtExpiresIn(authorization: string | undefined): number | undefined {
  const payload = authorization?.replace(/^Bearer\s+/i, '').split('.')[1];
  if (!payload) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? Math.round(exp - Date.now() / 1000) : undefined;
  } catch {
    return undefined;
  }
}

export function credentialChecks(settings: Config['databricks'], auth: UpstreamAuth | Error, env: NodeJS.ProcessEnv = process.env): Check[] {
  if (auth instanceof Error) return [failure('credential', auth.message)];
  const expiresIn = jwtExpiresIn(auth.lastAuthorization);
  const expiry: Check =
    expiresIn === undefined
      ? { name: 'token expiry', status: 'info', detail: `not visible (${auth.method === 'pat' ? 'a personal access token: see its lifetime in the workspace\'s token settings' : 'the token is not a JWT'})` }
      : expiresIn > 0
        ? { name: 'token expiry', status: 'ok', detail: `this token expires in ${Math.round(expiresIn / 60)} min; the SDK renews it before that` }
        : { name: 'token expiry', status: 'FAIL', detail: 'the token the SDK gave has already expired', fix: 'renew the login: `databricks auth login`, or a new token or client secret' };
  return [{ name: 'credential', status: 'ok', detail: `${auth.method}: ${whyChosen(auth.method, settings, env)}; a token was obtained` }, expiry];
}
