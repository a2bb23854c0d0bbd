import type { Repair } from '../types.js';
import { adaptiveThinking } from './adaptive-thinking.js';
import { budgetThinking } from './budget-thinking.js';
import { cacheControlLimits } from './cache-control-limits.js';
import { chatStoreServiceTier } from './chat-store-service-tier.js';
import { contextManagement } from './context-management.js';
import { deferLoading } from './defer-loading.js';
import { eagerInputStreaming } from './eager-input-streaming.js';
import { emptyAssistantText } from './empty-assistant-text.js';
import { geminiChatStreamOptions } from './gemini-chat-stream-options.js';
import { geminiUnsignedCalls } from './gemini-unsigned-calls.js';
import { hostedTools } from './hosted-tools.js';
import { maxCompletionTokens } from './max-completion-tokens.js';
import { structuredOutputStream } from './structured-output-stream.js';
import { systemMessages } from './system-messages.js';
import { thinkingBudget } from './thinking-budget.js';
import { toolCap } from './tool-cap.js';
import { toolNamespaces } from './tool-namespaces.js';
import { toolSchemaObject } from './tool-schema-object.js';
import { toolStrict } from './tool-strict.js';

/**
 * Repairs of the body sent upstream, one file each in this folder, in the
 * order they run. Order matters in three places: hosted tools and tool
 * namespaces go before the tool cap counts tools; `max_completion_tokens`
 * becomes `max_tokens`, and adaptive thinking becomes a budget (or, on
 * opus-5-5, a budget becomes adaptive thinking), before a budget is fitted
 * to max_tokens.
 */
export const REQUEST_REPAIRS: readonly Repair[] = [
  hostedTools,
  toolNamespaces,
  toolSchemaObject,
  toolStrict,
  eagerInputStreaming,
  cacheControlLimits,
  deferLoading,
  toolCap,
  chatStoreServiceTier,
  geminiChatStreamOptions,
  geminiUnsignedCalls,
  maxCompletionTokens,
  structuredOutputStream,
  contextManagement,
  adaptiveThinking,
  budgetThinking,
  thinkingBudget,
  systemMessages,
  emptyAssistantText,
];
