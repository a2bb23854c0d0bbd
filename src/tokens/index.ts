/**
 * Token estimates for the count routes of every inbound dialect (Anthropic
 * `count_tokens`, Responses `input_tokens`, Gemini `:countTokens`): decode
 * the client's body to the IR with its dialect's codec, then call
 * `estimateInputTokens(request, family)` and send its result with
 * `ESTIMATE_HEADER`. docs/token-counting.md has the method and its error.
 */
export { ESTIMATE_HEADER, ESTIMATE_HEADER_VALUE, estimateInputTokens } from './estimate.js';
export { loadTokenizer, type CountText } from './tokenizer.js';
