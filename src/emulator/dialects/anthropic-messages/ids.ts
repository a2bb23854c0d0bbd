import { Buffer } from 'node:buffer';

// ---------------------------------------------------------------------------
// Tool-use ids

/**
 * Script call ids are dialect-neutral (the model mints them); Anthropic
 * clients see `toolu_…` ids. The mapping is deterministic and reversible, so
 * the id a client sends back in `tool_result.tool_use_id` (or replays in an
 * assistant `tool_use`) maps to the very call id the model minted, across
 * emulator restarts, without any shared state. Ids the emulator did not mint
 * (a client's own history) pass through unchanged in both directions of the
 * parse, which keeps pairing consistent.
 */
const MINTED_TOOL_USE_PREFIX = 'toolu_emu_';

export function anthropicToolUseId(callId: string): string {
  // base64url keeps the id within Anthropic's `^[a-zA-Z0-9_-]+$`.
  return MINTED_TOOL_USE_PREFIX + Buffer.from(callId, 'utf8').toString('base64url');
}

export function callIdFromAnthropic(toolUseId: string): string {
  if (!toolUseId.startsWith(MINTED_TOOL_USE_PREFIX)) return toolUseId;
  const decoded = Buffer.from(toolUseId.slice(MINTED_TOOL_USE_PREFIX.length), 'base64url').toString('utf8');
  return anthropicToolUseId(decoded) === toolUseId ? decoded : toolUseId;
}
