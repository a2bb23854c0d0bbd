import type { Repair } from '../types.js';

/** Repairs of the body sent upstream, one file each in this folder, in the order they run. */
export const REQUEST_REPAIRS: readonly Repair[] = [];
