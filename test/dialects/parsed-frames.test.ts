import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Dialect } from '../../src/dialects/dialect.js';
import { UPSTREAM_CODECS } from '../../src/dialects/codecs.js';
import type { CodecContext } from '../../src/ir/codec.js';
import type { IrRequest } from '../../src/ir/request.js';
import type { IrStreamEvent } from '../../src/ir/stream.js';
import { FrameSplitter } from '../../src/sse/frame-splitter.js';
import { parseFrame } from '../../src/sse/parse-frame.js';

/**
 * The relays hand a stream decoder each frame's data already parsed (they
 * parse it once to check it and run the repairs). A decoder fed the parsed
 * object must read exactly what it reads from the text, on every recorded
 * shape of every upstream dialect.
 */
const DIALECTS: Dialect[] = ['openai-chat', 'openai-responses', 'anthropic-messages', 'gemini'];
const context: CodecContext = { endpoint: 'databricks-endpoint', family: 'other', clientModel: 'client-model' };
const request: IrRequest = { model: 'databricks-endpoint', system: [], messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], tools: [], stream: true };

function frames(dialect: Dialect, name: string) {
  const text = readFileSync(new URL(`../fixtures/${dialect}/${name}`, import.meta.url), 'utf8');
  return new FrameSplitter().push(new TextEncoder().encode(text)).map(parseFrame);
}

function parsedObject(data: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Random ids minted for missing ones differ between two runs; everything else must not. */
const unminted = (events: IrStreamEvent[]) => JSON.parse(JSON.stringify(events).replace(/[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}/g, 'ID')) as unknown;

describe.each(DIALECTS)('%s stream decoder, given parsed data', (dialect) => {
  const codec = UPSTREAM_CODECS[dialect];
  const fixtures = readdirSync(new URL(`../fixtures/${dialect}/`, import.meta.url)).filter((name) => name.endsWith('.sse'));

  it.each(fixtures)('%s: the same IR events as from the text', (name) => {
    const fromText = codec.createStreamDecoder(request, context);
    const fromParsed = codec.createStreamDecoder(request, context);
    const textEvents: IrStreamEvent[] = [];
    const parsedEvents: IrStreamEvent[] = [];
    for (const frame of frames(dialect, name)) {
      if (frame.data === undefined) continue;
      textEvents.push(...fromText.frame(frame.event, frame.data));
      parsedEvents.push(...fromParsed.frame(frame.event, frame.data, parsedObject(frame.data.trim())));
    }
    textEvents.push(...fromText.end());
    parsedEvents.push(...fromParsed.end());
    expect(textEvents.length).toBeGreaterThan(0);
    expect(unminted(parsedEvents)).toEqual(unminted(textEvents));
  });

  it('reads the parsed object, not the text, when it is given', () => {
    const [first] = frames(dialect, fixtures.find((name) => name === 'text.sse') ?? fixtures[0]!).filter((frame) => frame.data && parsedObject(frame.data));
    if (!first?.data) throw new Error('no JSON frame in the fixture');
    const fromText = codec.createStreamDecoder(request, context).frame(first.event, first.data);
    const fromParsed = codec.createStreamDecoder(request, context).frame(first.event, 'not json at all', parsedObject(first.data));
    expect(unminted(fromParsed)).toEqual(unminted(fromText));
  });
});
