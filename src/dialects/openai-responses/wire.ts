/**
 * Responses wire types: the official SDK's, narrowed to what this dialect
 * reads and writes. The SDK's `Response` has many fields only OpenAI fills in
 * (`output_text` is even computed by the SDK), so the Response this proxy
 * writes is a pick of it; lifecycle events carry that pick, and the error
 * event is the nested form the real API sends (wire-formats §2).
 */
import type {
  EasyInputMessage,
  FunctionTool,
  Response,
  ResponseFormatTextConfig,
  ResponseFunctionCallArgumentsDoneEvent,
  ResponseFunctionToolCall,
  ResponseInputImage,
  ResponseInputText,
  ResponseOutputItem,
  ResponseOutputMessage,
  ResponseOutputText,
  ResponseReasoningItem,
  ResponseStatus,
  ResponseStreamEvent,
  ResponseUsage,
  ToolChoiceFunction,
  ToolChoiceOptions,
} from 'openai/resources/responses/responses';
import type { OpenAiErrorObject } from '../openai-error.js';

export type {
  EasyInputMessage,
  FunctionTool,
  ResponseFormatTextConfig,
  ResponseFunctionToolCall,
  ResponseInputImage,
  ResponseInputText,
  ResponseOutputItem,
  ResponseOutputMessage,
  ResponseOutputText,
  ResponseReasoningItem,
  ResponseStatus,
  ResponseUsage,
};

export type WireToolChoice = ToolChoiceOptions | ToolChoiceFunction;

/** The Response object this proxy writes (non-stream answer and lifecycle snapshots). */
export type WireResponse = Pick<
  Response,
  'id' | 'object' | 'created_at' | 'model' | 'output' | 'error' | 'incomplete_details' | 'parallel_tool_calls' | 'temperature' | 'top_p'
> & {
  status: ResponseStatus;
  tool_choice: WireToolChoice;
  max_output_tokens: number | null;
  usage: ResponseUsage | null;
};

type LifecycleType = 'response.created' | 'response.in_progress' | 'response.completed' | 'response.incomplete' | 'response.failed';

export interface WireLifecycleEvent {
  type: LifecycleType;
  sequence_number: number;
  response: WireResponse;
}

/** `{type:"error", sequence_number, error:{type, code, message, param}}`, as the real API sends it. */
export interface WireErrorEvent {
  type: 'error';
  sequence_number: number;
  error: OpenAiErrorObject;
}

/**
 * The item-scoped events (added/done, parts, deltas), as the SDK types them;
 * `function_call_arguments.done` also names the function, which the spec
 * requires and the SDK type leaves out.
 */
export type WireItemEvent =
  | Exclude<ResponseStreamEvent, { type: LifecycleType | 'error' | 'response.function_call_arguments.done' }>
  | (ResponseFunctionCallArgumentsDoneEvent & { name: string });

export type WireStreamEvent = WireLifecycleEvent | WireErrorEvent | WireItemEvent;

/** An event before its sequence number is assigned. */
export type Unsequenced<E> = E extends unknown ? Omit<E, 'sequence_number'> : never;

/** An assistant turn replayed upstream: `{type:"message", role:"assistant", content:[output_text…]}` (no id or status). */
export interface AssistantReplayMessage {
  type: 'message';
  role: 'assistant';
  content: { type: 'output_text'; text: string }[];
}

/** A user turn sent upstream. */
export interface UserInputMessage {
  type: 'message';
  role: 'user';
  content: (ResponseInputText | ResponseInputImage)[];
}

/** A tool result sent upstream; `output` is a string, or a content list when images come with it. */
export interface FunctionCallOutputInput {
  type: 'function_call_output';
  call_id: string;
  output: string | (ResponseInputText | ResponseInputImage)[];
}

/** A function call replayed upstream. */
export type FunctionCallInput = Pick<ResponseFunctionToolCall, 'type' | 'call_id' | 'name' | 'arguments'>;

/** A reasoning item replayed upstream with its encrypted content (store:false). */
export type ReasoningInput = Pick<ResponseReasoningItem, 'type' | 'id' | 'summary' | 'encrypted_content'>;

export type UpstreamInputItem = UserInputMessage | AssistantReplayMessage | FunctionCallInput | FunctionCallOutputInput | ReasoningInput;

/** The request body this dialect sends to a Databricks Responses route. */
export interface UpstreamResponsesRequest {
  model: string;
  instructions?: string;
  input: UpstreamInputItem[];
  tools?: Pick<FunctionTool, 'type' | 'name' | 'parameters' | 'strict' | 'description'>[];
  tool_choice?: WireToolChoice;
  parallel_tool_calls?: boolean;
  max_output_tokens?: number;
  reasoning?: { effort?: string; summary?: 'auto' };
  text?: { format: ResponseFormatTextConfig };
  temperature?: number;
  top_p?: number;
  user?: string;
  include?: 'reasoning.encrypted_content'[];
  store?: false;
  stream: boolean;
}
