import type { Family } from '../databricks/family.js';
import type { IrImagePart, IrMessage, IrPart, IrRequest, IrTool } from '../ir/request.js';
import { FRAMING, type Framing } from './framing.js';
import { imageSize } from './image-size.js';
import { loadTokenizer, type CountText } from './tokenizer.js';

/**
 * The response header that marks a token count as the proxy's estimate (the
 * workspace serves no count of its own). Its value names the tokenizer.
 */
export const ESTIMATE_HEADER = 'x-dbx-proxy-token-estimate';
export const ESTIMATE_HEADER_VALUE = 'o200k_base';

/**
 * An estimate of the input tokens a request costs on a model of `family`:
 * the text of the system prompt, messages and tool definitions through the
 * tokenizer, plus the structure each family's format adds (framing.ts).
 * Never a constant: it grows with every token of text.
 *
 * Reasoning from earlier turns is left out (Anthropic drops earlier turns'
 * thinking from the context; OpenAI's reasoning items are encrypted and
 * opaque); only the last assistant turn's reasoning counts, as it does while
 * a tool loop goes on.
 */
export async function estimateInputTokens(request: IrRequest, family: Family): Promise<number> {
  const count = await loadTokenizer();
  return countRequest(request, FRAMING[family], count);
}

function countRequest(request: IrRequest, framing: Framing, count: CountText): number {
  let total = framing.request;
  total += request.system.reduce((sum, part) => sum + count(part.text), 0);
  const lastAssistant = request.messages.findLastIndex((message) => message.role === 'assistant');
  request.messages.forEach((message, index) => {
    total += framing.message + countMessage(message, index === lastAssistant, framing, count);
  });
  if (request.tools.length > 0 && request.toolChoice?.type !== 'none') {
    total += request.tools.reduce((sum, tool) => sum + framing.tool + countTool(tool, count), 0);
    const forced = request.toolChoice?.type === 'required' || request.toolChoice?.type === 'tool';
    if (framing.toolPrompt) total += forced ? framing.toolPrompt.forced : framing.toolPrompt.auto;
  }
  return total;
}

function countMessage(message: IrMessage, keepReasoning: boolean, framing: Framing, count: CountText): number {
  return message.parts.reduce((sum, part) => sum + countPart(part, keepReasoning, framing, count), 0);
}

function countPart(part: IrPart, keepReasoning: boolean, framing: Framing, count: CountText): number {
  switch (part.type) {
    case 'text':
      return count(part.text);
    case 'image':
      return countImage(part, framing);
    case 'tool_call':
      return count(part.name) + count(part.arguments);
    case 'tool_result':
      return part.content.reduce((sum, item) => sum + (item.type === 'text' ? count(item.text) : countImage(item, framing)), 0);
    case 'reasoning':
      return keepReasoning ? count(part.text) : 0;
  }
}

function countImage(image: IrImagePart, framing: Framing): number {
  const size = image.source.kind === 'base64' ? imageSize(image.source.data) : undefined;
  return size && size.width > 0 && size.height > 0 ? framing.imageTokens(size.width, size.height) : framing.image;
}

function countTool(tool: IrTool, count: CountText): number {
  return count(tool.name) + count(tool.description ?? '') + count(JSON.stringify(tool.parameters));
}
