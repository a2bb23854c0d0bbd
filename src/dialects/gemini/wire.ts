/**
 * Gemini wire types, from the official SDK. The SDK has no type for the REST
 * request body itself (its `generateContent` takes `{model, contents, config}`
 * and rearranges it), so the body is assembled here from the SDK's parts.
 * Answers are untrusted input and are read with guards (json.ts), not typed.
 */
import type {
  Content,
  FinishReason,
  FunctionCallingConfig,
  FunctionCallingConfigMode,
  FunctionDeclaration,
  GenerationConfig,
  Part,
  Tool,
  ToolConfig,
} from '@google/genai';

export type { Content, FunctionDeclaration, GenerationConfig, Part, Tool };

/** The string values of the SDK's enums (the SDK declares them as TypeScript enums, which need a value import). */
export type FinishReasonName = `${FinishReason}`;
export type CallingMode = `${FunctionCallingConfigMode}`;

/** ToolConfig with the calling mode as its wire string. */
export interface GeminiToolConfig extends Omit<ToolConfig, 'functionCallingConfig'> {
  functionCallingConfig?: Omit<FunctionCallingConfig, 'mode'> & { mode?: CallingMode };
}

/** The body of `POST …/models/{endpoint}:generateContent` (the endpoint is in the path, never in the body). */
export interface GeminiRequestBody {
  contents: Content[];
  systemInstruction?: Content;
  tools?: Tool[];
  toolConfig?: GeminiToolConfig;
  generationConfig?: GenerationConfig;
}
