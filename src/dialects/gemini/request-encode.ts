/**
 * The IR request → a Databricks Gemini request. The endpoint and whether the
 * answer streams live in the path (src/databricks/surface.ts), never in the
 * body. What Gemini has no field for is left out: `parallelToolCalls` (no
 * switch, §5.2), `user`, cache hints, tool `strict`.
 */
import type { IrRequest, IrResponseFormat, IrTool } from '../../ir/request.js';
import { encodeContents } from './contents-encode.js';
import { functionCallingConfigOf, thinkingBudgetOf } from './maps.js';
import { geminiParameters } from './schema.js';
import type { FunctionDeclaration, GeminiRequestBody, GenerationConfig } from './wire.js';

export function encodeGeminiRequest(request: IrRequest): GeminiRequestBody {
  const system = request.system.filter((part) => part.text !== '').map((part) => ({ text: part.text }));
  const hasTools = request.tools.length > 0;
  const generationConfig = generationConfigOf(request);
  return {
    contents: encodeContents(request.messages),
    ...(system.length > 0 ? { systemInstruction: { parts: system } } : {}),
    // Tool settings mean nothing without tools.
    ...(hasTools ? { tools: [{ functionDeclarations: request.tools.map(declarationOf) }] } : {}),
    ...(hasTools && request.toolChoice ? { toolConfig: { functionCallingConfig: functionCallingConfigOf(request.toolChoice) } } : {}),
    ...(Object.keys(generationConfig).length > 0 ? { generationConfig } : {}),
  };
}

function declarationOf(tool: IrTool): FunctionDeclaration {
  const parameters = geminiParameters(tool.parameters);
  return {
    name: tool.name,
    ...(tool.description !== undefined ? { description: tool.description } : {}),
    ...(parameters ? { parameters } : {}),
  };
}

function generationConfigOf(request: IrRequest): GenerationConfig {
  return {
    ...(request.maxOutputTokens !== undefined ? { maxOutputTokens: request.maxOutputTokens } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.topP !== undefined ? { topP: request.topP } : {}),
    ...(request.topK !== undefined ? { topK: request.topK } : {}),
    ...(request.stopSequences && request.stopSequences.length > 0 ? { stopSequences: request.stopSequences } : {}),
    ...(request.responseFormat ? responseFormatOf(request.responseFormat) : {}),
    ...(request.reasoning ? { thinkingConfig: thinkingConfigOf(request.reasoning) } : {}),
  };
}

function responseFormatOf(format: IrResponseFormat): GenerationConfig {
  return format.type === 'json_schema'
    ? { responseMimeType: 'application/json', responseJsonSchema: format.schema }
    : { responseMimeType: 'application/json' };
}

/** Thoughts come back unless the client said it wants no summaries. */
function thinkingConfigOf(reasoning: NonNullable<IrRequest['reasoning']>): NonNullable<GenerationConfig['thinkingConfig']> {
  const budget = thinkingBudgetOf(reasoning);
  return { includeThoughts: reasoning.summary !== false, ...(budget !== undefined ? { thinkingBudget: budget } : {}) };
}
