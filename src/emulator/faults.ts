/**
 * The fault switches: operational failures the emulator can produce on
 * demand (throttling, outages, broken or stalled streams). One line each:
 * `'kebab-id': 'what it produces'`.
 */
export const FAULTS: Readonly<Record<string, string>> = {};
