import { REQUEST_REPAIRS } from './request/index.js';
import { STREAM_REPAIRS } from './stream/index.js';
import type { Repair } from './types.js';

/** Every repair, in the order they run: request-side first, then stream and response side. */
export const REPAIRS: readonly Repair[] = [...REQUEST_REPAIRS, ...STREAM_REPAIRS];
