import type { M2mClient } from './credentials.js';

// Apart from index.ts so the CLI can name the demo's credentials without loading the emulator's server.

/** The PAT a default emulator accepts; nothing real is protected by it. */
export const EMULATOR_DEMO_PAT = 'dapi-emulator-demo-token';
/** The OAuth M2M client a default emulator accepts. */
export const EMULATOR_DEMO_CLIENT: Readonly<M2mClient> = { clientId: 'emulator-client', clientSecret: 'emulator-secret' };
