import type { Repair } from '../types.js';

/** Repairs of upstream answers and streams, one file each in this folder, in the order they run. */
export const STREAM_REPAIRS: readonly Repair[] = [];
