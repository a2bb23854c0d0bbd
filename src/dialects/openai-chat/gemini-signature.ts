/**
 * Google's OpenAI-compatibility shape for a Gemini thought signature on a
 * tool call: `extra_content.google.thought_signature`. Whether Databricks'
 * chat surface uses it for Gemini is UNVERIFIED; it is read wherever it
 * appears and written only toward a Gemini endpoint.
 */
import type { IrToolCallPart } from '../../ir/request.js';
import { isRecord, stringOr } from '../common/json.js';
import type { GoogleExtraContent } from './wire.js';

export function googleSignature(extra: unknown): IrToolCallPart['signature'] {
  const google = isRecord(extra) ? extra.google : undefined;
  const value = isRecord(google) ? stringOr(google.thought_signature) : undefined;
  return value ? { provider: 'gemini', value } : undefined;
}

export function googleExtraContent(value: string): GoogleExtraContent {
  return { google: { thought_signature: value } };
}
