import { frameTooLarge } from '../sse/frame-splitter.js';

/**
 * An upstream body read whole, up to `maxBytes` (upstream.maxFrameBytes, the
 * same cap as one stream event): past it the read stops, the connection is
 * released, and the answer fails with a 502 naming the setting. An answer the
 * proxy must hold whole cannot take the machine's memory, and one that never
 * ends (bytes keep coming, so no idle timeout fires) cannot hang the request.
 */
export async function readBounded(body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Leaving the loop early (the throw) destroys the body, and so the upstream connection.
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) throw frameTooLarge(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}
