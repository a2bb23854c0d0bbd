import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { INBOUND_CODECS, UPSTREAM_CODECS } from '../../src/dialects/codecs.js';
import { INBOUND } from '../../src/dialects/inbound.js';
import { EMULATOR_DEMO_PAT } from '../../src/emulator/index.js';
import type { IrRequest } from '../../src/ir/request.js';
import { CredentialScrubber } from '../../src/secrets/scrubber.js';
import { pipeSse } from '../../src/server/sse-response.js';
import { translateSse } from '../../src/server/sse-translate.js';
import { LOCAL_API_KEY } from '../helpers/secrets.js';

/**
 * A stream's error events carry messages the upstream wrote, relayed as they
 * are (passthrough) or carried into the client's error event (translation).
 * An upstream that echoes a credential there must not hand it to the client.
 */
const scrubber = CredentialScrubber.forConfig({ databricks: { token: EMULATOR_DEMO_PAT }, server: { apiKeys: [LOCAL_API_KEY] } }, {});
scrubber.remember('Bearer minted-oauth-access-token-456');
const scrub = (text: string): string => scrubber.text(text);
const encoder = new TextEncoder();
const chunk = (delta: object) =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`;
const echoingError = `data: ${JSON.stringify({ error: { message: `bad token ${EMULATOR_DEMO_PAT}, minted-oauth-access-token-456, key ${LOCAL_API_KEY}, Bearer xyz.123-abc` } })}\n\n`;

async function* upstream(...frames: string[]) {
  for (const frame of frames) yield encoder.encode(frame);
}

/** A response that keeps what is written. */
function recording(): { response: ServerResponse; text: () => string } {
  const writes: string[] = [];
  const response = { headersSent: false, destroyed: false, writeHead: () => response, write: (text: string) => writes.push(text) > 0, end: () => undefined };
  return { response: response as unknown as ServerResponse, text: () => writes.join('') };
}

function expectScrubbed(text: string): void {
  expect(text).toContain('[redacted]');
  for (const secret of [EMULATOR_DEMO_PAT, LOCAL_API_KEY, 'minted-oauth-access-token-456', 'xyz.123-abc']) expect(text).not.toContain(secret);
}

describe('error events of relayed streams', () => {
  it('passthrough: an upstream error frame echoing credentials reaches the client scrubbed, other frames byte for byte', async () => {
    const first = chunk({ role: 'assistant', content: '' });
    const second = chunk({ content: `my text names ${LOCAL_API_KEY.length} characters` });
    const out = recording();
    await pipeSse(upstream(first, second, echoingError), out.response, INBOUND['openai-chat'].createTracker(), undefined, undefined, scrub);
    expect(out.text().startsWith(first + second)).toBe(true);
    expectScrubbed(out.text());
  });

  it('passthrough without a scrubber relays the echo (what the scrubber prevents)', async () => {
    const out = recording();
    await pipeSse(upstream(chunk({ role: 'assistant', content: '' }), echoingError), out.response, INBOUND['openai-chat'].createTracker());
    expect(out.text()).toContain(EMULATOR_DEMO_PAT);
  });

  it('translated: the message of an echoing upstream error reaches the Anthropic client scrubbed', async () => {
    const request: IrRequest = { model: 'm', system: [], messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], tools: [], stream: true };
    const context = { endpoint: 'databricks-meta-llama-3-3-70b-instruct', family: 'llama' as const, clientModel: 'm' };
    const out = recording();
    await translateSse(
      upstream(chunk({ role: 'assistant', content: 'partial' }), echoingError),
      out.response,
      UPSTREAM_CODECS['openai-chat'].createStreamDecoder(request, context),
      INBOUND_CODECS['anthropic-messages'].createStreamEncoder(request, context),
      undefined,
      scrub,
    );
    expect(out.text()).toContain('event: error');
    expectScrubbed(out.text());
  });
});
