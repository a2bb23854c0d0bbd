import { EMULATOR_DEMO_CLIENT, EMULATOR_DEMO_PAT } from '../../src/emulator/index.js';

/**
 * The credentials tests use, in one place. The suite-wide log scan
 * (log-scan.ts, run when vitest ends) fails if any of them appears in any log
 * line any test produced. Tests that need a client key or a local API key take
 * it from here, so the scan knows it.
 */

/** A client's own provider key: the proxy must neither forward nor log it. */
export const CLIENT_KEY = 'sk-test-client-own-key-0001';
/** Local API keys configured in `server.apiKeys` by the access tests. */
export const LOCAL_API_KEY = 'dbx-local-test-key-alpha-0001';
export const OTHER_LOCAL_API_KEY = 'dbx-local-test-key-bravo-0002';
/** A key that is configured nowhere. */
export const WRONG_API_KEY = 'dbx-local-test-key-wrong-0003';

/** Two workspace users' own Databricks tokens (passthrough auth), and one the workspace does not know. */
export const ALICE_TOKEN = 'dapi-alice-own-test-token-0001';
export const BOB_TOKEN = 'dapi-bob-own-test-token-0002';
export const CAROL_TOKEN = 'dapi-carol-no-serving-token-0003';
export const UNKNOWN_TOKEN = 'dapi-unknown-test-token-0004';

export const TEST_SECRETS: readonly string[] = [
  EMULATOR_DEMO_PAT,
  EMULATOR_DEMO_CLIENT.clientSecret,
  CLIENT_KEY,
  LOCAL_API_KEY,
  OTHER_LOCAL_API_KEY,
  WRONG_API_KEY,
  ALICE_TOKEN,
  BOB_TOKEN,
  CAROL_TOKEN,
  UNKNOWN_TOKEN,
];
