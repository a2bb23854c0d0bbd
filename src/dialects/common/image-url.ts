/** Chat and Responses carry an image as one URL string (Chat `image_url.url`, Responses `input_image.image_url`): `https://…` or a base64 `data:` URL. */
import type { IrImagePart } from '../../ir/request.js';

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

/** The IR source of an image URL; undefined for a data URL that is not base64 (nothing the IR can carry). */
export function imageSourceOf(url: string): IrImagePart['source'] | undefined {
  if (!url.startsWith('data:')) return { kind: 'url', url };
  const match = DATA_URL.exec(url);
  if (!match) return undefined;
  return { kind: 'base64', mediaType: match[1] as string, data: match[2] as string };
}

export function imageUrlOf(source: IrImagePart['source']): string {
  return source.kind === 'url' ? source.url : `data:${source.mediaType};base64,${source.data}`;
}
