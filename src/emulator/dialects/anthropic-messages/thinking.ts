import { isAdaptiveOnlyEndpoint, isRecord } from '../common.js';
import { extraInput, reject, tagMismatch } from './guards.js';

const EFFORTS = new Set(['low', 'medium', 'high', 'xhigh', 'max']);

type ThinkingMode = 'enabled' | 'adaptive' | 'disabled' | undefined;

export function validateThinking(raw: unknown, maxTokens: number, endpointName: string): ThinkingMode {
  if (raw === undefined) return undefined;
  if (!isRecord(raw)) reject('thinking: Input should be a valid dictionary');
  const adaptiveOnly = isAdaptiveOnlyEndpoint(endpointName);
  switch (raw.type) {
    case 'enabled': {
      for (const key of Object.keys(raw)) {
        if (!['type', 'budget_tokens', 'display'].includes(key)) extraInput(`thinking.enabled.${key}`);
      }
      if (adaptiveOnly) {
        // UNVERIFIED wording; the reference says this model accepts only adaptive thinking.
        reject(`thinking.type: 'enabled' is not supported for ${endpointName}; use {"type": "adaptive"} with output_config.effort`);
      }
      const budget = raw.budget_tokens;
      if (budget === undefined) reject('thinking.enabled.budget_tokens: Field required');
      if (typeof budget !== 'number' || !Number.isInteger(budget)) {
        reject('thinking.enabled.budget_tokens: Input should be a valid integer');
      }
      // Documented: 1024 <= budget_tokens < max_tokens (docs `query-reason-models`).
      if (budget < 1024) reject('thinking.enabled.budget_tokens: Input should be greater than or equal to 1024');
      if (budget >= maxTokens) reject('`max_tokens` must be greater than `thinking.budget_tokens`');
      return 'enabled';
    }
    case 'adaptive':
      for (const key of Object.keys(raw)) {
        if (!['type', 'display'].includes(key)) extraInput(`thinking.adaptive.${key}`);
      }
      if (!adaptiveOnly) tagMismatch('thinking', raw.type);
      return 'adaptive';
    case 'disabled':
      for (const key of Object.keys(raw)) {
        if (key !== 'type') extraInput(`thinking.disabled.${key}`);
      }
      return 'disabled';
    default:
      return tagMismatch('thinking', raw.type);
  }
}

export function validateOutputConfig(raw: unknown): void {
  if (raw === undefined) return;
  if (!isRecord(raw)) reject('output_config: Input should be a valid dictionary');
  // Only `effort` is documented for opus-5-5; other keys are left unchecked.
  if (raw.effort !== undefined && (typeof raw.effort !== 'string' || !EFFORTS.has(raw.effort))) {
    reject(`output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'`);
  }
}
