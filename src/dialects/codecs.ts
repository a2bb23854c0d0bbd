import { withCallSignatureCarriers } from '../ir/call-signatures.js';
import type { InboundCodec, UpstreamCodec } from '../ir/codec.js';
import { anthropicMessagesInbound, anthropicMessagesUpstream } from './anthropic-messages/codec.js';
import type { Dialect, InboundDialect } from './dialect.js';
import { geminiInbound, geminiUpstream } from './gemini/codec.js';
import { openaiChatInbound, openaiChatUpstream } from './openai-chat/codec.js';
import { openaiResponsesInbound, openaiResponsesUpstream } from './openai-responses/codec.js';

/**
 * The client-facing side of each inbound dialect. Only Gemini's clients keep
 * a signature on a call; the others get it as opaque reasoning beside the
 * call (src/ir/call-signatures.ts).
 */
export const INBOUND_CODECS: Record<InboundDialect, InboundCodec> = {
  'openai-chat': withCallSignatureCarriers(openaiChatInbound),
  'openai-responses': withCallSignatureCarriers(openaiResponsesInbound),
  'anthropic-messages': withCallSignatureCarriers(anthropicMessagesInbound),
  gemini: geminiInbound,
};

/** The Databricks-facing side of each upstream dialect. */
export const UPSTREAM_CODECS: Record<Dialect, UpstreamCodec> = {
  'openai-chat': openaiChatUpstream,
  'openai-responses': openaiResponsesUpstream,
  'anthropic-messages': anthropicMessagesUpstream,
  gemini: geminiUpstream,
};
