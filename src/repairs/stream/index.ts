import type { Repair } from '../types.js';
import { anthropicStreamRepair } from './anthropic-stream.js';
import { chatChunksRepair } from './chat-chunks.js';
import { itemIdDriftRepair } from './item-id-drift.js';
import { longIdsRepair } from './long-ids.js';
import { responsesTerminalRepair } from './responses-terminal.js';
import { toolCallLifecycleRepair } from './tool-call-lifecycle.js';

/**
 * Repairs of upstream answers and streams, one file each in this folder, in
 * the order they run. On Responses streams ids are shortened before drifting
 * item ids are realigned (the seed PR truncates first), and both before the
 * tool-call and terminal repairs, which remember items by id.
 */
export const STREAM_REPAIRS: readonly Repair[] = [
  longIdsRepair,
  itemIdDriftRepair,
  toolCallLifecycleRepair,
  responsesTerminalRepair,
  chatChunksRepair,
  anthropicStreamRepair,
];
