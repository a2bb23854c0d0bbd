import type { EmulatorDialect } from '../types.js';
import { anthropicMessages } from './anthropic-messages/index.js';
import { gemini } from './gemini/index.js';
import { openaiChat } from './openai-chat/index.js';
import { openaiResponses } from './openai-responses/index.js';

/**
 * The emulator's own wire dialects. Deliberately a separate union from the
 * proxy's `Dialect` (src/dialects): the emulator never imports the proxy's
 * codecs, so a bug there cannot be mirrored here.
 */
export type EmulatorDialectId = 'anthropic-messages' | 'openai-chat' | 'openai-responses' | 'gemini';

export const EMULATOR_DIALECTS: Record<EmulatorDialectId, EmulatorDialect> = {
  'anthropic-messages': anthropicMessages,
  'openai-chat': openaiChat,
  'openai-responses': openaiResponses,
  gemini,
};
