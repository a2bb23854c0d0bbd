import { anyOf, array, boolean, count, number, object, objectWith, string, strings, type Schema } from './shapes.js';

/**
 * `POST /v1beta/models/{model}:generateContent` and `:streamGenerateContent`
 * (reference wire-formats §4; Google's `GenerateContentRequest`). The route
 * adds `model` and `stream` from the path before the codecs read the body.
 */

/** A part holds exactly one piece of data; one with none of these is refused (Google's "one of data" rule). */
const DATA_FIELDS = ['text', 'inlineData', 'fileData', 'functionCall', 'functionResponse', 'executableCode', 'codeExecutionResult'];

const blob = objectWith({ mimeType: string, data: string }, ['data']);
const part: Schema = {
  ...objectWith({
    text: string,
    thought: boolean,
    thoughtSignature: string,
    inlineData: blob,
    fileData: objectWith({ mimeType: string, fileUri: string }, ['fileUri']),
    functionCall: objectWith({ id: string, name: string, args: object }, ['name']),
    functionResponse: objectWith({ id: string, name: string, response: object, parts: array }, ['name']),
    executableCode: object,
    codeExecutionResult: object,
  }),
  anyOf: DATA_FIELDS.map((field) => ({ type: 'object', required: [field] })),
};

const content = objectWith({ role: { enum: ['user', 'model', 'function'] }, parts: { type: 'array', items: part } }, ['parts']);

/** A schema is an object; what it says is the upstream's (or the target's) to judge. */
const declaration = objectWith({ name: string, description: string, parameters: object, parametersJsonSchema: object }, ['name']);

const tool = objectWith({ functionDeclarations: { type: 'array', items: declaration } });

const toolConfig = objectWith({
  functionCallingConfig: objectWith({ mode: { enum: ['MODE_UNSPECIFIED', 'AUTO', 'ANY', 'NONE', 'VALIDATED'] }, allowedFunctionNames: strings }),
});

const thinkingConfig = objectWith({ thinkingBudget: { type: 'integer', minimum: -1 }, thinkingLevel: string, includeThoughts: boolean });

const generationConfig = objectWith({
  maxOutputTokens: count,
  temperature: number,
  topP: number,
  topK: number,
  candidateCount: count,
  stopSequences: strings,
  responseMimeType: string,
  responseSchema: object,
  responseJsonSchema: object,
  thinkingConfig,
});

const requestFields = {
    contents: { type: 'array', minItems: 1, items: content },
    systemInstruction: anyOf(string, objectWith({ role: string, parts: { type: 'array', items: part } })),
    tools: { type: 'array', items: tool },
    toolConfig,
    generationConfig,
    safetySettings: array,
    cachedContent: string,
};

export const GEMINI_BODY: Schema = { type: 'object', required: ['contents'], properties: requestFields };

/** `:countTokens`: the request's own fields, or a whole request under `generateContentRequest`. */
export const GEMINI_COUNT_BODY: Schema = {
  type: 'object',
  properties: { ...requestFields, contents: { type: 'array', items: content }, generateContentRequest: GEMINI_BODY },
};
