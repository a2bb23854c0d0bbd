// The SDK's `Config` (its whole credential chain) from its own module: the package
// index also loads every workspace and account API client, about 13 MB of
// resident memory the proxy never uses (BENCHMARKS.md, idle RSS). The package has
// no `exports` map, so this path is public in practice; it is the same class
// (`Config === require('@databricks/sdk-experimental').Config`).
import { Config as SdkConfig, type ConfigOptions } from '@databricks/sdk-experimental/dist/config/Config.js';
import type { Config } from '../config/schema.js';

/**
 * The Databricks SDK `Config` for our settings. Only what the user set is
 * passed, so the SDK's own chain (environment, ~/.databrickscfg profile,
 * OAuth M2M, the Databricks CLI) resolves everything else exactly as the
 * Databricks CLI and other SDK users would.
 */
export function createSdkConfig(settings: Config['databricks']): SdkConfig {
  const options: ConfigOptions = {};
  if (settings.host) options.host = settings.host;
  if (settings.profile) options.profile = settings.profile;
  if (settings.configFile) options.configFile = settings.configFile;
  if (settings.authType) options.authType = settings.authType as ConfigOptions['authType'];
  if (settings.token) options.token = settings.token;
  if (settings.clientId) options.clientId = settings.clientId;
  if (settings.clientSecret) options.clientSecret = settings.clientSecret;
  return new SdkConfig(options);
}
