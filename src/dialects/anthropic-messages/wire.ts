import type {
  MessageCreateParamsBase,
  Message,
  MessageDeltaUsage,
  RawContentBlockDelta,
  RedactedThinkingBlock,
  TextBlock,
  ThinkingBlock,
  ToolUseBlock,
  Usage,
} from '@anthropic-ai/sdk/resources/messages';

/**
 * The Messages API shapes this codec writes, narrowed from the official SDK
 * types to the fields the API itself sends or accepts (the SDK's response
 * types also list fields that only some accounts or betas return).
 */

/** Usage as Messages answers carry it. */
export type WireUsage = Pick<Usage, 'input_tokens' | 'output_tokens'> & {
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
};

/** Cumulative usage on `message_delta`. */
export type WireDeltaUsage = Pick<MessageDeltaUsage, 'output_tokens'> & {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
};

export type WireTextBlock = Pick<TextBlock, 'type' | 'text'>;
export type WireToolUseBlock = Pick<ToolUseBlock, 'type' | 'id' | 'name' | 'input'>;
export type WireContentBlock = WireTextBlock | ThinkingBlock | RedactedThinkingBlock | WireToolUseBlock;

/** A whole Message (non-streamed answer, and `message_start.message` with empty content). */
export type WireMessage = Pick<Message, 'id' | 'type' | 'role' | 'model' | 'stop_reason' | 'stop_sequence'> & {
  content: WireContentBlock[];
  usage: WireUsage;
};

/** One streamed event, as written to a client. */
export type WireStreamEvent =
  | { type: 'message_start'; message: WireMessage }
  | { type: 'content_block_start'; index: number; content_block: WireContentBlock }
  | { type: 'content_block_delta'; index: number; delta: RawContentBlockDelta }
  | { type: 'content_block_stop'; index: number }
  | {
      type: 'message_delta';
      delta: Pick<Message, 'stop_reason' | 'stop_sequence'>;
      usage: WireDeltaUsage;
    }
  | { type: 'message_stop' };

/**
 * The request fields the upstream encoder writes. The sampling fields are
 * still part of the API (reference wire-formats §3) but no longer in this SDK
 * version's types, hence the addition.
 */
export type WireRequest = Pick<
  MessageCreateParamsBase,
  'model' | 'max_tokens' | 'messages' | 'system' | 'tools' | 'tool_choice' | 'thinking' | 'stop_sequences' | 'metadata' | 'stream'
> & { temperature?: number; top_p?: number; top_k?: number };
