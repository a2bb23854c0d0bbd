/**
 * A Gemini client's `generateContent` body → the IR request. The route puts
 * the model and the streaming flag, which Gemini has in the path, into the
 * body as `model` and `stream` (src/server/routes/gemini.ts).
 *
 * Carried: `systemInstruction`, `functionDeclarations` (`parameters` or
 * `parametersJsonSchema`), the calling mode and allowed names, sampling
 * (`temperature`, `topP`, `topK`), `maxOutputTokens`, `stopSequences`,
 * `thinkingConfig` (budget, level, whether thoughts are shown), and JSON
 * output (`responseMimeType` with `responseSchema` or `responseJsonSchema`).
 * Left out, having no form in the IR or in the other families' APIs:
 * built-in tools (`googleSearch`, `codeExecution`, ...), `safetySettings`,
 * `cachedContent`, `seed`, the presence and frequency penalties,
 * `responseLogprobs`, `mediaResolution`, `speechConfig`.
 */
import { ProxyError } from '../../errors/proxy-error.js';
import type { CodecContext } from '../../ir/codec.js';
import type { IrEffort, IrReasoningSettings, IrRequest, IrResponseFormat, IrTextPart, IrTool, IrToolChoice } from '../../ir/request.js';
import { isRecord, type JsonObject, numberOr, recordOr, records, stringOr } from '../common/json.js';
import { decodeContents } from './contents-decode.js';
import { jsonSchemaOf } from './schema-decode.js';

export function decodeGeminiRequest(body: JsonObject, context: CodecContext): IrRequest {
  const generation = recordOr(body.generationConfig);
  const candidates = numberOr(generation.candidateCount);
  if (candidates !== undefined && candidates > 1) {
    throw new ProxyError('invalid_request', 'generationConfig.candidateCount above 1 is served by Gemini models only; ask for one candidate', {
      param: 'generationConfig.candidateCount',
    });
  }
  const tools = records(body.tools).flatMap((tool) => records(tool.functionDeclarations).map(toolOf));
  const toolChoice = toolChoiceOf(recordOr(recordOr(body.toolConfig).functionCallingConfig));
  const reasoning = reasoningOf(recordOr(generation.thinkingConfig));
  const responseFormat = responseFormatOf(generation);
  const stopSequences = Array.isArray(generation.stopSequences) ? generation.stopSequences.filter((stop) => typeof stop === 'string') : [];
  const optional = {
    maxOutputTokens: numberOr(generation.maxOutputTokens),
    temperature: numberOr(generation.temperature),
    topP: numberOr(generation.topP),
    topK: numberOr(generation.topK),
  };
  return {
    model: context.endpoint,
    system: systemOf(body.systemInstruction),
    messages: decodeContents(records(body.contents)),
    tools,
    ...(toolChoice ? { toolChoice } : {}),
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
    ...(stopSequences.length > 0 ? { stopSequences } : {}),
    ...(reasoning ? { reasoning } : {}),
    ...(responseFormat ? { responseFormat } : {}),
    stream: body.stream === true,
  };
}

/** `systemInstruction` is a Content (its text parts); the SDKs also let a plain string through. */
function systemOf(instruction: unknown): IrTextPart[] {
  if (typeof instruction === 'string') return instruction === '' ? [] : [{ type: 'text', text: instruction }];
  return records(recordOr(instruction).parts).flatMap((part) => (typeof part.text === 'string' && part.text !== '' ? [{ type: 'text' as const, text: part.text }] : []));
}

function toolOf(declaration: JsonObject): IrTool {
  const parameters = isRecord(declaration.parametersJsonSchema)
    ? declaration.parametersJsonSchema
    : isRecord(declaration.parameters)
      ? jsonSchemaOf(declaration.parameters)
      : { type: 'object', properties: {} };
  const description = stringOr(declaration.description);
  return { name: stringOr(declaration.name) ?? '', ...(description !== undefined ? { description } : {}), parameters };
}

/** `functionCallingConfig` → tool choice (wire-formats.md §5.2); VALIDATED is AUTO with checked arguments, which the others do anyway. */
function toolChoiceOf(config: JsonObject): IrToolChoice | undefined {
  const names = Array.isArray(config.allowedFunctionNames) ? config.allowedFunctionNames.filter((name) => typeof name === 'string') : [];
  switch (config.mode) {
    case 'AUTO':
    case 'VALIDATED':
      return { type: 'auto' };
    case 'NONE':
      return { type: 'none' };
    case 'ANY':
      // One allowed name is a named tool; several can only be "some tool" elsewhere.
      return names.length === 1 ? { type: 'tool', name: names[0] as string } : { type: 'required' };
    default:
      return undefined;
  }
}

const LEVELS: Record<string, IrEffort> = { MINIMAL: 'minimal', LOW: 'low', MEDIUM: 'medium', HIGH: 'high' };
/** Gemini's "dynamic" budget (-1) lets the model choose: the middle effort elsewhere. */
const DYNAMIC_BUDGET = -1;

/** `thinkingConfig` → reasoning settings; a budget of 0 turns thinking off. */
function reasoningOf(config: JsonObject): IrReasoningSettings | undefined {
  const budget = numberOr(config.thinkingBudget);
  if (budget === 0) return undefined;
  const level = typeof config.thinkingLevel === 'string' ? LEVELS[config.thinkingLevel.toUpperCase()] : undefined;
  const settings: IrReasoningSettings = {
    ...(budget !== undefined && budget > 0 ? { budgetTokens: budget } : {}),
    ...(level ? { effort: level } : budget === DYNAMIC_BUDGET ? { effort: 'medium' as const } : {}),
    ...(typeof config.includeThoughts === 'boolean' ? { summary: config.includeThoughts } : {}),
  };
  return Object.keys(settings).length > 0 ? settings : undefined;
}

function responseFormatOf(generation: JsonObject): IrResponseFormat | undefined {
  if (generation.responseMimeType !== 'application/json') return undefined;
  const schema = isRecord(generation.responseJsonSchema)
    ? generation.responseJsonSchema
    : isRecord(generation.responseSchema)
      ? jsonSchemaOf(generation.responseSchema)
      : undefined;
  return schema ? { type: 'json_schema', name: 'response', schema } : { type: 'json_object' };
}
