import type { Family } from './family.js';

/** One chat-capable serving endpoint, as the proxy knows it. */
export interface CatalogEntry {
  /** The serving endpoint name, sent upstream as `model` (or in the Gemini path). */
  endpoint: string;
  family: Family;
  /** The endpoint's declared task (`llm/v1/chat`, `llm/v1/responses`, ...). */
  task: string | undefined;
  /** `foundation` (pay-per-token), `external` (external model) or `custom`. */
  kind: 'foundation' | 'external' | 'custom';
  ready: boolean;
  /** The foundation model's `display_name` (reference §2.1), when the workspace declares one. */
  displayName?: string;
}
