import { connect } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';
import { CLAUDE, endsAsFailed, GPT, INBOUND_PATH, LLAMA, requestBody, streamError, type ClientApi } from './routes.js';

/**
 * Graceful shutdown (RunningProxy.close, run on SIGTERM / SIGINT): stop
 * accepting, let running streams finish within server.shutdownGraceMs, then
 * end the rest with the client's error event; never a silent cut.
 */
async function slowStack(shutdownGraceMs: number): Promise<Stack> {
  const stack = await startStack({ config: { server: { shutdownGraceMs } } });
  // 200 ms between frames: a stream takes about 2.5 s.
  stack.emulator.setFaults(['slow-drip']);
  return stack;
}

/** Starts a raw stream and resolves once its first bytes arrived; `rest` is the whole text, read to the end. */
async function openStream(stack: Stack, client: ClientApi, model: string): Promise<{ rest: Promise<string> }> {
  const response = await fetch(`${stack.proxy.url}${INBOUND_PATH[client]}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer local', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(requestBody({ client, model }, 'a slow answer, please', true)),
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const first = await reader.read();
  let text = first.value ? decoder.decode(first.value, { stream: true }) : '';
  const rest = (async () => {
    for (let next = await reader.read(); !next.done; next = await reader.read()) text += decoder.decode(next.value, { stream: true });
    return text;
  })();
  return { rest };
}

describe('graceful shutdown', () => {
  it('lets a running stream finish within the grace period, and answers a request that arrives meanwhile with a 503 in its dialect', async () => {
    const stack = await slowStack(10_000);
    try {
      // One connection: a slow stream, then (pipelined, once the shutdown began) a short request.
      const socket = connect(Number(new URL(stack.proxy.url).port), '127.0.0.1');
      const bodyOf = (prompt: string, stream: boolean) => JSON.stringify(requestBody({ client: 'messages', model: CLAUDE }, prompt, stream));
      const request = (body: string) =>
        `POST /v1/messages HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\nanthropic-version: 2023-06-01\r\nx-api-key: local\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
      let received = '';
      const firstBytes = new Promise<void>((resolve) => socket.once('data', () => resolve()));
      const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
      socket.write(request(bodyOf('finish me slowly', true)));
      await firstBytes;

      const closing = stack.proxy.close();
      socket.write(request(bodyOf('too late', false)));
      await closing;
      await ended;
      const [streamed, late] = received.split(/(?=HTTP\/1\.1 )/);
      expect(streamed).toMatch(/^HTTP\/1\.1 200/);
      expect(streamed).toContain('"stop_reason":"end_turn"');
      expect(streamed).toMatch(/event: message_stop\r?\ndata: \{"type":"message_stop"\}/);
      expect(streamed).not.toContain('event: error');
      expect(late).toMatch(/^HTTP\/1\.1 503/);
      expect(late).toMatch(/connection: close/i);
      expect(late).toContain('"type":"overloaded_error"');
      expect(late).toContain('shutting down');
    } finally {
      await stack.emulator.close();
    }
  });

  it('ends the streams still running when the grace period is over with each client’s error event and terminal event', async () => {
    const stack = await slowStack(300);
    try {
      const clients: [ClientApi, string][] = [
        ['chat', LLAMA],
        ['responses', GPT],
        ['messages', CLAUDE],
      ];
      const streams = await Promise.all(clients.map(([client, model]) => openStream(stack, client, model)));
      const sdk = new Anthropic({ apiKey: 'local', baseURL: stack.proxy.url, maxRetries: 0 }).messages.stream({
        model: CLAUDE,
        max_tokens: 256,
        messages: [{ role: 'user', content: 'a slow answer, please' }],
      });
      const sdkResult = sdk.finalMessage().then(
        () => 'resolved',
        (error: unknown) => error,
      );
      await new Promise<void>((resolve) => sdk.once('streamEvent', () => resolve()));

      const closing = stack.proxy.close();
      const texts = await Promise.all(streams.map(({ rest }) => rest));
      await closing;
      for (const [index, [client]] of clients.entries()) {
        const text = texts[index]!;
        expect(endsAsFailed(client, text)).toBe(true);
        expect(streamError(client, text)?.message).toMatch(/shutting down/);
      }
      expect(await sdkResult).toMatchObject({ message: expect.stringMatching(/shutting down/) });
      // Nothing listens any more.
      await expect(fetch(`${stack.proxy.url}/health`)).rejects.toThrow();
    } finally {
      await stack.emulator.close();
    }
  });
});
