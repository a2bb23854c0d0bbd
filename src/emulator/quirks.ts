/**
 * The quirk switches: documented Databricks misbehaviours the emulator can
 * reproduce, off unless switched on. One line each: `'kebab-id': 'what it
 * reproduces (public source)'`. Each is the twin of a proxy repair
 * (src/repairs/) whose test switches it on.
 */

/** Misbehaviours of answers and streams. */
export const STREAM_QUIRKS: Readonly<Record<string, string>> = {
  'responses-long-ids':
    'Responses streams carry ids of the documented lengths: a 193-character response id, 192-character message item ids ' +
    'sharing its stem, a 53-character reasoning item id (databricks.md §5.3, unity-gateway #99; function-call item ids get ' +
    'the long form too, their length is not documented)',
  'responses-item-id-drift':
    "a message's output_item.added/.done carry a 54-character msg_00… id while its content_part.* and output_text.* events " +
    'carry a 192-character msg_01… item_id (databricks.md §5.3, unity-gateway #99, /ai-gateway/codex/v1/responses)',
  'responses-function-call-no-added':
    'function calls stream their argument deltas without output_item.added (databricks.md §8, ai-sdk-provider gaps; clients.md §7)',
  'responses-function-call-arguments-at-done':
    'function-call arguments come only in function_call_arguments.done, no deltas (wire-formats.md §7, litellm #25321)',
  'responses-function-call-done-only':
    'a function call arrives only as output_item.done (databricks.md §8: a bare tool call from output_item.done)',
  'responses-function-call-repeated':
    'every function call is sent again, same item and call id, at a new output index before the terminal event ' +
    '(databricks.md §8: calls re-emitted at flush, seed PR dedupes by call id; the wire shape is the emulator\'s own)',
  'responses-completed-empty-output':
    'response.completed carries an empty output although items were streamed (clients.md §7: the final output must be there)',
  'responses-usage-without-total-tokens':
    'Responses usage (streamed and whole answers) lacks total_tokens (databricks.md §5.3, the seed PR fills it)',
  'responses-no-terminal-event':
    'the Responses stream ends after its last item without response.completed (clients.md §7: Codex fails)',
  'chat-minimal-chunks':
    'chat chunks without id, object, created and choice index (databricks.md §2.3, lefte/forgecode-databricks [3rd-party])',
  'chat-list-content':
    'chat text comes as list content items [{type:"text"}] in deltas and answers, as reasoning does ' +
    '(databricks.md §2.3, §5.1; which endpoints send text this way is not documented)',
  'chat-usage-after-finish':
    'chat usage comes in a separate choices:[] chunk after the finish_reason chunk, asked for or not (wire-formats.md §7)',
  'chat-no-done': 'the chat stream ends without data: [DONE] (databricks.md §2.3: UNVERIFIED whether Databricks sends it)',
  'anthropic-duplicate-message-start':
    'message_start is sent twice in a row (wire-formats.md §7, recorded duplicate-message-start)',
  'anthropic-spliced-message-start':
    'a first attempt cut inside its last block, then the whole answer again under another message id ' +
    '(wire-formats.md §7, recorded spliced-message-start)',
  'anthropic-no-message-stop':
    'the Messages stream ends after message_delta (stop_reason set) without message_stop (clients.md §7: opencode loops)',
};

/**
 * Request-side rules. The emulator enforces Databricks' documented strict
 * validation by default; these switch on the rules that are not always in force.
 */
export const REQUEST_QUIRKS: Readonly<Record<string, string>> = {
  'model-serving-tool-cap':
    'Model Serving refuses a request with more tools than its family cap: gpt 16, codex 10, llama/qwen/gemma 32 ' +
    '(seed PR family defaults, databricks.md §4.2; the rejection itself is UNVERIFIED, hence a switch; none on the AI Gateway)',
};

/**
 * The request rules the emulator always enforces (in the dialects' `parse`),
 * named so that a repair can say which rule it answers. They are not
 * switches: Databricks is documented to apply them (or the emulator's author
 * chose to enforce them; the comments in src/emulator/dialects/ say which).
 */
export const REQUEST_RULES: Readonly<Record<string, string>> = {
  'tool-schema-type-object':
    'a tool schema without an explicit `type: "object"` is refused, in every dialect (databricks.md §5.2, seed PR)',
  'chat-tool-strict-non-gpt': '`tools[].function.strict` is refused on chat for non-GPT endpoints (databricks.md §5.2, ai-bridge)',
  'chat-top-level-allow-list':
    'chat refuses top-level fields outside its allow-list with "Extra inputs are not permitted": `store`, `service_tier`, ' +
    '`max_completion_tokens`, ... (databricks.md §5.2)',
  'chat-gemini-stream-options': '`stream_options` is refused by Gemini endpoints on chat (databricks.md §5.2, ucode, goose)',
  'gemini-call-signature':
    'Gemini 3 refuses a current step whose first functionCall has no thoughtSignature (wire-formats.md §4); the placeholder ' +
    '`skip_thought_signature_validator` passes',
  'chat-structured-output-stream':
    'chat refuses `response_format` (json_object, json_schema) with `stream: true`: "Structured output is not currently ' +
    'supported with streaming" (databricks.md §5.2, forgecode-databricks [3rd-party]; json_schema by extension)',
  'messages-tool-allow-list':
    'the Anthropic path refuses tool fields outside its allow-list, `eager_input_streaming` among them (databricks.md §5.2, ucode)',
  'messages-user-assistant-roles':
    "the Anthropic path takes only `user` and `assistant` roles in `messages` (\"Input should be 'user' or 'assistant'\"), as " +
    "Anthropic's documented API; `system` goes at the top level (wire-formats.md §3; Databricks not documented)",
  'responses-function-tools-only':
    'the Responses path takes only `function` tools: any other type gets "Input tag ... does not match", Codex\'s ' +
    '`namespace` tools among them (the reference is silent on namespaces; hosted tools are `hosted-tools-refused`)',
  'messages-top-level-allow-list':
    'the Anthropic path refuses top-level fields outside its allow-list, `context_management` among them (clients.md §8; UNVERIFIED live)',
  'hosted-tools-refused':
    'hosted / server tools are refused: Anthropic `web_search_*`, `code_execution_*` (documented); non-function tools on chat ' +
    '(documented); OpenAI hosted tools on Responses (UNVERIFIED) (databricks.md §5.2)',
  'adaptive-thinking-opus-5-5-only':
    '`thinking: {type: "adaptive"}` and `output_config` are accepted only by endpoints named *opus-5-5* (databricks.md §5.1; ' +
    'refusal elsewhere UNVERIFIED)',
  'claude-empty-text': 'Claude refuses empty or whitespace-only text next to tool calls (databricks.md §5.2, ai-bridge PR #333)',
  'messages-cache-control':
    'the Anthropic path refuses `cache_control` fields other than `type` and `ttl` (`scope`: "Extra inputs are not permitted") ' +
    'and more than 4 blocks with `cache_control` (databricks.md §5.5; the count refusal in Anthropic\'s wording)',
  'thinking-budget-range': 'a thinking budget must satisfy 1024 <= budget_tokens < max_tokens (databricks.md §5.1, §5.2)',
};
