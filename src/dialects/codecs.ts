import type { InboundCodec, UpstreamCodec } from '../ir/codec.js';
import { anthropicMessagesInbound, anthropicMessagesUpstream } from './anthropic-messages/codec.js';
import type { Dialect, InboundDialect } from './dialect.js';
import { geminiInbound, geminiUpstream } from './gemini/codec.js';
import { openaiChatInbound, openaiChatUpstream } from './openai-chat/codec.js';
import { openaiResponsesInbound, openaiResponsesUpstream } from './openai-responses/codec.js';

/** The client-facing side of each inbound dialect. */
export const INBOUND_CODECS: Record<InboundDialect, InboundCodec> = {
  'openai-chat': openaiChatInbound,
  'openai-responses': openaiResponsesInbound,
  'anthropic-messages': anthropicMessagesInbound,
  gemini: geminiInbound,
};

/** The Databricks-facing side of each upstream dialect. */
export const UPSTREAM_CODECS: Record<Dialect, UpstreamCodec> = {
  'openai-chat': openaiChatUpstream,
  'openai-responses': openaiResponsesUpstream,
  'anthropic-messages': anthropicMessagesUpstream,
  gemini: geminiUpstream,
};
