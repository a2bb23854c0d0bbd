import type { RenderContext } from '../../types.js';

/** Request parameters the real API echoes back in its Response object. */
interface Echo {
  instructions: string | null;
  max_output_tokens: number | null;
  parallel_tool_calls: boolean;
  reasoning: { effort: string | null; summary: string | null };
  store: boolean;
  temperature: number;
  top_p: number;
  text: unknown;
  tool_choice: unknown;
  tools: unknown[];
  truncation: string;
  metadata: unknown;
  prompt_cache_key: string | null;
}

export const DEFAULT_ECHO: Echo = {
  instructions: null,
  max_output_tokens: null,
  parallel_tool_calls: true,
  reasoning: { effort: null, summary: null },
  store: true,
  temperature: 1,
  top_p: 1,
  text: { format: { type: 'text' } },
  tool_choice: 'auto',
  tools: [],
  truncation: 'disabled',
  metadata: {},
  prompt_cache_key: null,
};

/**
 * `respond`/`stream` receive only the script, yet the real Response echoes the
 * request's parameters. `parse` records them against the request's context
 * object; the server passes that same object to `respond`/`stream`. A context
 * that never went through `parse` gets the API's defaults.
 */
export const echoes = new WeakMap<RenderContext, Echo>();
