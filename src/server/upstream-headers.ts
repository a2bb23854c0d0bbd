import type { FastifyRequest } from 'fastify';
import type { Config } from '../config/schema.js';
import type { Dialect } from '../dialects/dialect.js';
import type { RouteCandidate } from '../routing/plan.js';

/** Client headers the upstream must see too, per upstream dialect; everything else (the client's own key above all) stays here. */
const FORWARDED_HEADERS: Record<Dialect, readonly string[]> = {
  'anthropic-messages': ['anthropic-version', 'anthropic-beta'],
  'openai-chat': [],
  'openai-responses': [],
  gemini: [],
};

/** Headers an upstream dialect needs when the client did not send them (a translated request). */
const DEFAULT_HEADERS: Record<Dialect, Record<string, string>> = {
  'anthropic-messages': { 'anthropic-version': '2023-06-01' },
  'openai-chat': {},
  'openai-responses': {},
  gemini: {},
};

/**
 * Databricks' own launchers send `x-databricks-use-coding-agent-mode: true`
 * with Claude Code's traffic to the gateway's Anthropic path (reference §3.1:
 * ucode and IceRhymers, always for Claude Code). What the header changes
 * upstream is not documented. `routing.codingAgentMode`: `claude-code` sends it
 * there for requests from Claude Code (its `claude-cli/` user agent or its
 * session header), `all` for every request on that path, `off` never.
 */
const CODING_AGENT_HEADER = 'x-databricks-use-coding-agent-mode';
const CODING_AGENT_PATHS: ReadonlySet<string> = new Set(['ai-gateway /ai-gateway/anthropic/v1/messages']);

function fromClaudeCode(request: FastifyRequest): boolean {
  const agent = request.headers['user-agent'];
  return (typeof agent === 'string' && agent.startsWith('claude-cli/')) || request.headers['x-claude-code-session-id'] !== undefined;
}

/** The headers of one upstream attempt on one route candidate. */
export function upstreamHeaders(candidate: RouteCandidate, request: FastifyRequest, userAgent: string, config: Config): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': userAgent, ...DEFAULT_HEADERS[candidate.upstream] };
  for (const name of FORWARDED_HEADERS[candidate.upstream]) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const mode = config.routing.codingAgentMode;
  if (CODING_AGENT_PATHS.has(candidate.path.id) && (mode === 'all' || (mode === 'claude-code' && fromClaudeCode(request)))) {
    headers[CODING_AGENT_HEADER] = 'true';
  }
  return headers;
}
