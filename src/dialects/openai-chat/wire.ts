/**
 * Chat Completions wire types: the official SDK's, plus the extensions this
 * dialect reads and writes that the SDK does not type (Databricks' list
 * content with reasoning items, LiteLLM's `thinking_blocks`, the de-facto
 * `reasoning_content`).
 */
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionContentPartImage,
  ChatCompletionContentPartText,
  ChatCompletionMessage,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';

export type { ChatCompletion, ChatCompletionChunk, ChatCompletionContentPartImage, ChatCompletionToolChoiceOption, CompletionUsage };

export type FinishReason = ChatCompletion.Choice['finish_reason'];

/** Databricks' reasoning summary entries (Claude on chat, reference databricks.md §5.1). */
export type DatabricksSummaryItem = { type: 'summary_text'; text: string; signature?: string } | { type: 'summary_encrypted_text'; data: string };

/** Databricks' assistant list content: `text{text}` | `image{image_url: string}` | `reasoning{summary[]}`. */
export type DatabricksContentItem =
  | { type: 'text'; text: string }
  | { type: 'image'; image_url: string }
  | { type: 'reasoning'; summary: DatabricksSummaryItem[] };

/** LiteLLM's convention for replayable Anthropic reasoning on a Chat assistant message. */
export type ThinkingBlock = { type: 'thinking'; thinking: string; signature: string } | { type: 'redacted_thinking'; data: string };

/** A text part that may carry an Anthropic cache breakpoint (accepted by Databricks Claude on chat, databricks.md §5.4). */
export type CacheableTextPart = ChatCompletionContentPartText & { cache_control?: { type: 'ephemeral'; ttl?: '5m' | '1h' } };

/** Gemini's thought signature on a call, in Google's OpenAI-compatibility shape. */
export interface GoogleExtraContent {
  google?: { thought_signature?: string };
}

/** A function tool call as this dialect writes it, with the optional Gemini signature carrier. */
export type WireToolCall = ChatCompletionMessageFunctionToolCall & { extra_content?: GoogleExtraContent };

/** The assistant message this dialect writes to clients: the SDK's, plus the reasoning extensions. */
export type ClientAssistantMessage = ChatCompletionMessage & {
  reasoning_content?: string;
  thinking_blocks?: ThinkingBlock[];
};

/** A streamed delta as this dialect writes it to clients. */
export type ClientDelta = ChatCompletionChunk.Choice.Delta & {
  reasoning_content?: string;
  thinking_blocks?: ThinkingBlock[];
};
