/**
 * Client message content → IR parts: a string or a list of parts. Empty texts
 * are dropped (Anthropic and Databricks-Claude refuse empty text blocks).
 */
import { quoted } from '../../errors/client-value.js';
import type { IrImagePart, IrPart, IrReasoningPart, IrTextPart } from '../../ir/request.js';
import { readSignature } from '../../ir/signatures.js';
import { imageSourceOf } from '../common/image-url.js';
import { invalid } from '../common/invalid.js';
import { isRecord } from '../common/json.js';
import { isReplayable, reasoningItemParts, type Signer } from './reasoning-items.js';

/** On Databricks, signed Chat reasoning comes from Claude: untagged signatures are Anthropic's. */
export const clientSigner: Signer = (value) => readSignature(value, 'anthropic');

/** System, developer and tool content: text only. */
export function textOnlyParts(content: unknown, param: string): IrTextPart[] {
  if (typeof content === 'string') return textParts(content);
  if (!Array.isArray(content)) return invalid('content must be a string or an array of text parts', param);
  return content.flatMap((part: unknown, i) => {
    const at = `${param}[${i}]`;
    if (!isRecord(part) || part.type !== 'text') return invalid('only text parts are allowed here', at);
    return textPartOf(part, at);
  });
}

export function userParts(content: unknown, param: string): (IrTextPart | IrImagePart)[] {
  if (typeof content === 'string') return textParts(content);
  if (!Array.isArray(content)) return invalid('content must be a string or an array of parts', param);
  return content.flatMap((part: unknown, i): (IrTextPart | IrImagePart)[] => {
    const at = `${param}[${i}]`;
    if (!isRecord(part)) return invalid('a content part must be an object', at);
    if (part.type === 'text') return textPartOf(part, at);
    if (part.type === 'image_url') return [imagePartOf(part.image_url, `${at}.image_url`)];
    // Audio and files have no IR form; refusing beats answering without them.
    return invalid(`content parts of type ${quoted(part.type)} cannot be translated for this model`, `${at}.type`);
  });
}

/**
 * Assistant content: a string, OpenAI's text/refusal parts, or Databricks'
 * list content (text, image, reasoning items). Reasoning without a signature
 * cannot be replayed and is dropped.
 */
export function assistantParts(content: unknown, param: string): IrPart[] {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return textParts(content);
  if (!Array.isArray(content)) return invalid('content must be a string, an array of parts or null', param);
  return content.flatMap((part: unknown, i): IrPart[] => {
    const at = `${param}[${i}]`;
    if (!isRecord(part)) return invalid('a content part must be an object', at);
    switch (part.type) {
      case 'text':
        return textPartOf(part, at);
      case 'refusal':
        if (typeof part.refusal !== 'string') return invalid('a refusal part needs a string refusal', `${at}.refusal`);
        return textParts(part.refusal);
      case 'reasoning':
        if (!Array.isArray(part.summary)) return invalid('a reasoning item needs a summary array', `${at}.summary`);
        return replayable(reasoningItemParts(part.summary, clientSigner));
      case 'image':
        return [imagePartOf(part.image_url, `${at}.image_url`)];
      default:
        return invalid(`assistant content parts of type ${quoted(part.type)} are not supported`, `${at}.type`);
    }
  });
}

export function replayable(parts: IrReasoningPart[]): IrReasoningPart[] {
  return parts.filter(isReplayable);
}

function textParts(text: string): IrTextPart[] {
  return text === '' ? [] : [{ type: 'text', text }];
}

function textPartOf(part: Record<string, unknown>, param: string): IrTextPart[] {
  if (typeof part.text !== 'string') return invalid('a text part needs a string text', `${param}.text`);
  if (part.text === '') return [];
  const cacheControl = cacheControlOf(part.cache_control);
  return [{ type: 'text', text: part.text, ...(cacheControl ? { cacheControl } : {}) }];
}

/** Anthropic-style cache breakpoints some clients put on Chat text parts; other shapes are ignored. */
function cacheControlOf(value: unknown): IrTextPart['cacheControl'] {
  if (!isRecord(value) || value.type !== 'ephemeral') return undefined;
  return value.ttl === '5m' || value.ttl === '1h' ? { type: 'ephemeral', ttl: value.ttl } : { type: 'ephemeral' };
}

/** `image_url` is `{url}` in OpenAI's shape and a bare string in Databricks' list content. */
function imagePartOf(value: unknown, param: string): IrImagePart {
  const url = typeof value === 'string' ? value : isRecord(value) ? value.url : undefined;
  if (typeof url !== 'string') return invalid('an image needs a url', param);
  const source = imageSourceOf(url);
  if (!source) return invalid('a data URL image must be base64-encoded', param);
  return { type: 'image', source };
}
