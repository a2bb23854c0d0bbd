import type { StopReason } from '@anthropic-ai/sdk/resources/messages';
import type { ErrorKind } from '../../errors/proxy-error.js';
import type { IrEffort, IrReasoningSettings, IrToolChoice } from '../../ir/request.js';
import type { IrStopReason } from '../../ir/response.js';

/**
 * The mapping tables between the Messages API and the IR
 * (reference wire-formats §5.1 stop reasons, §5.2 tool_choice, §3 errors).
 */

/** IR → Anthropic. `error` has no Anthropic stop reason; the error itself travels as an error event. */
export const STOP_REASON_TO_ANTHROPIC: Record<IrStopReason, StopReason> = {
  end_turn: 'end_turn',
  stop_sequence: 'stop_sequence',
  tool_use: 'tool_use',
  max_tokens: 'max_tokens',
  refusal: 'refusal',
  pause_turn: 'pause_turn',
  error: 'end_turn',
};

/** Anthropic → IR; values not listed (e.g. `compaction`, future ones) read as a natural end. */
const STOP_REASON_FROM_ANTHROPIC: Record<string, IrStopReason> = {
  end_turn: 'end_turn',
  stop_sequence: 'stop_sequence',
  tool_use: 'tool_use',
  max_tokens: 'max_tokens',
  model_context_window_exceeded: 'max_tokens',
  refusal: 'refusal',
  pause_turn: 'pause_turn',
};

export function stopReasonFromAnthropic(reason: unknown): IrStopReason {
  return (typeof reason === 'string' ? STOP_REASON_FROM_ANTHROPIC[reason] : undefined) ?? 'end_turn';
}

/** Anthropic `tool_choice.type` → IR (a named tool adds its name). */
export const TOOL_CHOICE_FROM_ANTHROPIC: Record<string, IrToolChoice['type']> = {
  auto: 'auto',
  any: 'required',
  none: 'none',
  tool: 'tool',
};

/** IR → Anthropic `tool_choice.type` (a named tool is `tool` plus its name). */
export const TOOL_CHOICE_TO_ANTHROPIC: Record<Exclude<IrToolChoice['type'], 'tool'>, 'auto' | 'any' | 'none'> = {
  auto: 'auto',
  required: 'any',
  none: 'none',
};

/**
 * Thinking budget for an effort, where the client gave an effort and the
 * Anthropic upstream wants tokens. 1024 is Anthropic's minimum budget; the
 * steps above it roughly quadruple, as Anthropic's own guidance suggests
 * starting at the minimum and raising it in large steps.
 */
export const EFFORT_BUDGET: Record<IrEffort, number> = {
  minimal: 1024,
  low: 1024,
  medium: 4096,
  high: 16384,
  xhigh: 32768,
  max: 32768,
};

const EFFORTS = new Set<string>(Object.keys(EFFORT_BUDGET));

export function isEffort(value: unknown): value is IrEffort {
  return typeof value === 'string' && EFFORTS.has(value);
}

/** Anthropic `error.type` → the proxy's error kind (the inverse of errors.ts, plus `billing_error`). */
const ERROR_KIND_FROM_ANTHROPIC: Record<string, ErrorKind> = {
  invalid_request_error: 'invalid_request',
  authentication_error: 'authentication',
  billing_error: 'permission',
  permission_error: 'permission',
  not_found_error: 'not_found',
  request_too_large: 'request_too_large',
  rate_limit_error: 'rate_limit',
  api_error: 'upstream',
  overloaded_error: 'overloaded',
  timeout_error: 'timeout',
};

export function errorKindFromAnthropic(type: unknown): ErrorKind {
  return (typeof type === 'string' ? ERROR_KIND_FROM_ANTHROPIC[type] : undefined) ?? 'upstream';
}
