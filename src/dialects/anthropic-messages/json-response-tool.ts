/**
 * Structured output toward Claude, as a tool call (the way LiteLLM does it:
 * `RESPONSE_FORMAT_TOOL_NAME`). Databricks' Anthropic path accepts
 * `output_config` only on opus-5-5 (databricks.md §5.1), so the requested
 * JSON shape travels as the input schema of one extra tool, and the call the
 * model makes to it is turned back into the answer's text on the way back
 * (json-response-unwrap.ts).
 *
 * - Without client tools (or with `tool_choice: none`, which allows none of
 *   them) the tool is forced: `tool_choice: {type: 'tool'}`, one call only.
 *   Anthropic refuses thinking with forced tool use, so the encoder leaves
 *   thinking off then.
 * - With client tools the model must stay free to call them: the JSON tool is
 *   offered alongside and the client's own tool choice is kept. Its answer is
 *   JSON text only if the model chose the JSON tool.
 */
import type { Tool } from '@anthropic-ai/sdk/resources/messages';
import { ProxyError } from '../../errors/proxy-error.js';
import type { IrRequest, IrResponseFormat } from '../../ir/request.js';

/** The tool name the proxy reserves for structured output on Claude. */
export const JSON_RESPONSE_TOOL = 'json_response';

export interface JsonResponseTool {
  tool: Tool;
  /** Whether `tool_choice` must name it (no client tool may be called). */
  forced: boolean;
}

/** The JSON tool a request needs, or undefined when it asks for no structured output. */
export function jsonResponseTool(request: IrRequest): JsonResponseTool | undefined {
  const format = request.responseFormat;
  if (!format) return undefined;
  if (request.tools.some((tool) => tool.name === JSON_RESPONSE_TOOL)) {
    throw new ProxyError(
      'invalid_request',
      `The tool name '${JSON_RESPONSE_TOOL}' is reserved by the proxy for structured output on Claude models; rename the tool`,
      { param: 'tools' },
    );
  }
  return {
    tool: { name: JSON_RESPONSE_TOOL, description: describe(format), input_schema: inputSchema(format) },
    forced: request.tools.length === 0 || request.toolChoice?.type === 'none',
  };
}

/**
 * Anthropic input schemas must be objects (and Databricks refuses one without
 * `type: "object"`). OpenAI's structured outputs require an object root too,
 * so a conformant schema is kept as it is; `json_object` asks for any object.
 */
function inputSchema(format: IrResponseFormat): Tool['input_schema'] {
  return format.type === 'json_schema' ? { ...format.schema, type: 'object' } : { type: 'object' };
}

function describe(format: IrResponseFormat): string {
  const shape = format.type === 'json_schema' ? `the '${format.name}' JSON schema` : 'a JSON object';
  return `Give your final answer by calling this tool: its input is the answer, as ${shape}.`;
}
