/**
 * IR images → Gemini parts. Gemini takes images inline (base64) or by a URI
 * it can read itself: a Cloud Storage `gs://` URI (wire-formats.md §5.4).
 * An http(s) URL would have to be downloaded and inlined; the proxy does not
 * fetch on a client's behalf, so such an image is sent as a text placeholder
 * that names the URL, and the model at least knows an image was there.
 */
import type { IrImagePart } from '../../ir/request.js';
import type { Part } from './wire.js';

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

/** Gemini wants a MIME type with every URI; the IR has none for URLs, so the file extension decides. */
const MIME_BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
};
const DEFAULT_MIME = 'image/jpeg';

export function imagePart(source: IrImagePart['source']): Part {
  if (source.kind === 'base64') return { inlineData: { mimeType: source.mediaType, data: source.data } };
  const inline = DATA_URL.exec(source.url);
  if (inline) return { inlineData: { mimeType: inline[1] as string, data: inline[2] as string } };
  if (source.url.startsWith('gs://')) return { fileData: { mimeType: mimeOf(source.url), fileUri: source.url } };
  return { text: `[image not attached: ${source.url}]` };
}

function mimeOf(uri: string): string {
  const extension = /\.([A-Za-z0-9]+)$/.exec(uri)?.[1]?.toLowerCase();
  return (extension && MIME_BY_EXTENSION[extension]) || DEFAULT_MIME;
}
