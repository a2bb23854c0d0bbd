import { describe, expect, it } from 'vitest';
import type { IrRequest } from '../../src/ir/request.js';
import { imageSize } from '../../src/tokens/image-size.js';
import { estimateInputTokens } from '../../src/tokens/index.js';

function png(width: number, height: number): string {
  const b = Buffer.alloc(33);
  b.writeUInt32BE(0x89504e47, 0);
  b.writeUInt32BE(0x0d0a1a0a, 4);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'ascii');
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  return b.toString('base64');
}

function jpeg(width: number, height: number): string {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, ...Buffer.alloc(14)]);
  const sof = Buffer.alloc(19);
  sof.writeUInt16BE(0xffc0, 0);
  sof.writeUInt16BE(17, 2);
  sof[4] = 8;
  sof.writeUInt16BE(height, 5);
  sof.writeUInt16BE(width, 7);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof]).toString('base64');
}

function gif(width: number, height: number): string {
  const b = Buffer.alloc(13);
  b.write('GIF89a', 0, 'ascii');
  b.writeUInt16LE(width, 6);
  b.writeUInt16LE(height, 8);
  return b.toString('base64');
}

const withImage = (data: string): IrRequest => ({
  model: 'm',
  system: [],
  tools: [],
  stream: false,
  messages: [{ role: 'user', parts: [{ type: 'image', source: { kind: 'base64', mediaType: 'image/png', data } }] }],
});
const overhead = 3 + 4; // Claude's framing around one message

describe('image sizes and their tokens', () => {
  it('reads PNG, JPEG and GIF headers, and nothing from other bytes', () => {
    expect(imageSize(png(1092, 600))).toEqual({ width: 1092, height: 600 });
    expect(imageSize(jpeg(640, 480))).toEqual({ width: 640, height: 480 });
    expect(imageSize(gif(20, 10))).toEqual({ width: 20, height: 10 });
    expect(imageSize(Buffer.from('not an image at all').toString('base64'))).toBeUndefined();
  });

  it("prices an image as Claude's vision guide does: 1092x1092 is about 1,590 tokens, larger ones are scaled down", async () => {
    expect((await estimateInputTokens(withImage(png(1092, 1092)), 'claude')) - overhead).toBe(1590);
    expect((await estimateInputTokens(withImage(png(200, 200)), 'claude')) - overhead).toBe(54);
    expect((await estimateInputTokens(withImage(png(4000, 4000)), 'claude')) - overhead).toBe(1590);
  });

  it("prices an image as OpenAI's vision guide does: 1024x1024 is 765, 2048x4096 is 1,105", async () => {
    const gptOverhead = 3 + 3;
    expect((await estimateInputTokens(withImage(png(1024, 1024)), 'gpt')) - gptOverhead).toBe(765);
    expect((await estimateInputTokens(withImage(png(2048, 4096)), 'gpt')) - gptOverhead).toBe(1105);
  });

  it('counts the ceiling when the size cannot be read', async () => {
    expect((await estimateInputTokens(withImage('AAAA'), 'claude')) - overhead).toBe(1600);
  });
});
