import { describe, expect, it } from 'vitest';
import { errorKindFromAnthropic, STOP_REASON_TO_ANTHROPIC, stopReasonFromAnthropic } from '../../../src/dialects/anthropic-messages/maps.js';
import { anthropicErrorBody } from '../../../src/dialects/anthropic-messages/errors.js';
import { ERROR_KINDS, ProxyError } from '../../../src/errors/proxy-error.js';
import type { IrStopReason } from '../../../src/ir/response.js';

describe('Messages mapping tables', () => {
  it.each([
    ['end_turn', 'end_turn'],
    ['stop_sequence', 'stop_sequence'],
    ['tool_use', 'tool_use'],
    ['max_tokens', 'max_tokens'],
    ['model_context_window_exceeded', 'max_tokens'],
    ['refusal', 'refusal'],
    ['pause_turn', 'pause_turn'],
    ['compaction', 'end_turn'],
    [null, 'end_turn'],
  ])('Anthropic stop reason %s → IR %s', (anthropic, ir) => {
    expect(stopReasonFromAnthropic(anthropic)).toBe(ir);
  });

  it.each([
    ['end_turn', 'end_turn'],
    ['stop_sequence', 'stop_sequence'],
    ['tool_use', 'tool_use'],
    ['max_tokens', 'max_tokens'],
    ['refusal', 'refusal'],
    ['pause_turn', 'pause_turn'],
    ['error', 'end_turn'],
  ] as [IrStopReason, string][])('IR stop reason %s → Anthropic %s', (ir, anthropic) => {
    expect(STOP_REASON_TO_ANTHROPIC[ir]).toBe(anthropic);
  });

  it('reads every error type this proxy writes back to the same kind, except those sharing a type', () => {
    for (const kind of ERROR_KINDS) {
      const type = anthropicErrorBody(new ProxyError(kind, 'x')).error.type;
      const back = errorKindFromAnthropic(type);
      // `internal` and `upstream` both write api_error; the upstream's api_error reads as `upstream`.
      expect(back).toBe(kind === 'internal' ? 'upstream' : kind);
    }
    expect(errorKindFromAnthropic('something_new')).toBe('upstream');
  });
});
