import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/schema.js';
import { tracesEndpoint } from '../../src/observability/traces.js';
import { startStack } from '../helpers/stack.js';
import { CLAUDE, INBOUND_PATH, LLAMA, requestBody } from '../reliability/routes.js';

/** An OTLP/HTTP attribute as the JSON encoding carries it. */
interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string | number; arrayValue?: unknown };
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpAttribute[];
  status?: { code?: number };
}

/** A local OTLP/HTTP receiver: keeps every span posted to /v1/traces. */
async function startReceiver(): Promise<{ url: string; spans: OtlpSpan[]; paths: string[]; close(): Promise<void> }> {
  const spans: OtlpSpan[] = [];
  const paths: string[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      paths.push(`${request.method} ${request.url} ${request.headers['content-type']}`);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
      for (const resource of body.resourceSpans) for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, spans, paths, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function attributes(span: OtlpSpan): Record<string, unknown> {
  return Object.fromEntries(span.attributes.map(({ key, value }) => [key, value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : value.arrayValue)]));
}

describe('OpenTelemetry traces', () => {
  it('are off unless an endpoint is configured; the standard variables and the config both turn them on', () => {
    const config = ConfigSchema.parse({});
    expect(tracesEndpoint(config, {})).toBeUndefined();
    expect(tracesEndpoint(config, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toBe('http://collector:4318/v1/traces');
    expect(tracesEndpoint(config, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/custom' })).toBe('http://collector:4318/custom');
    expect(tracesEndpoint(config, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
    const configured = ConfigSchema.parse({ observability: { traces: { endpoint: 'http://127.0.0.1:4318' } } });
    expect(tracesEndpoint(configured, {})).toBe('http://127.0.0.1:4318/v1/traces');
  });

  describe('with a local OTLP receiver', () => {
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    const ids: string[] = [];
    beforeAll(async () => {
      receiver = await startReceiver();
      const stack = await startStack({ config: { observability: { traces: { endpoint: receiver.url } }, upstream: { maxAttempts: 2, maxRetryAfterMs: 10 } } });
      try {
        const send = async (path: string, body: unknown, id: string): Promise<void> => {
          ids.push(id);
          const response = await fetch(`${stack.proxy.url}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-request-id': id },
            body: JSON.stringify(body),
          });
          await response.text();
        };
        // Past the reuse window of the Databricks token: the next attempt asks the SDK for it (a token-fetch span).
        await new Promise((resolve) => setTimeout(resolve, 1_100));
        await send(INBOUND_PATH.messages, requestBody({ client: 'messages', model: CLAUDE }, 'a streamed trace', true), 'trace-stream');
        await send(INBOUND_PATH.chat, requestBody({ client: 'chat', model: LLAMA }, 'a whole trace', false), 'trace-whole');
        stack.emulator.setFaults(['rate-limit*1']);
        await send(INBOUND_PATH.chat, requestBody({ client: 'chat', model: LLAMA }, 'a retried trace', false), 'trace-retried');
        // Each record is read when its response closed, a moment after the client has the answer.
        for (let waited = 0; stack.proxy.observability.totals.requests < 3 && waited < 2_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      } finally {
        // Closing the proxy sends the spans still queued.
        await stack.close();
      }
    });
    afterAll(() => receiver.close());

    const root = (id: string): OtlpSpan => {
      const span = receiver.spans.find((candidate) => attributes(candidate)['dbx_proxy.request_id'] === id);
      if (!span) throw new Error(`no span for ${id}`);
      return span;
    };
    const children = (parent: OtlpSpan): OtlpSpan[] => receiver.spans.filter((span) => span.parentSpanId === parent.spanId);

    it('arrive over OTLP/HTTP as JSON', () => {
      expect(receiver.paths.every((line) => line.startsWith('POST /v1/traces application/json'))).toBe(true);
    });

    it('one server span per request with the GenAI attributes and its token counts', () => {
      const span = root('trace-whole');
      expect(span.name).toBe(`chat ${LLAMA}`);
      expect(span.kind).toBe(2); // SERVER
      expect(span.parentSpanId ?? '').toBe('');
      expect(attributes(span)).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'databricks',
        'gen_ai.request.model': LLAMA,
        'gen_ai.response.model': LLAMA,
        'gen_ai.usage.input_tokens': expect.any(Number),
        'gen_ai.usage.output_tokens': expect.any(Number),
        'http.route': INBOUND_PATH.chat,
        'http.response.status_code': 200,
        'dbx_proxy.family': 'llama',
        'dbx_proxy.mode': 'passthrough',
      });
      expect(attributes(span)['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
      expect(BigInt(span.endTimeUnixNano)).toBeGreaterThan(BigInt(span.startTimeUnixNano));
    });

    it('a child span for the token fetch and one per upstream attempt, inside the request', () => {
      const span = root('trace-stream');
      const kids = children(span);
      const token = kids.find((kid) => kid.name === 'databricks token');
      const upstream = kids.filter((kid) => kid.kind === 3); // CLIENT
      expect(token).toBeDefined();
      expect(upstream).toHaveLength(1);
      expect(upstream[0]?.name).toMatch(/^POST \/ai-gateway\/anthropic\/v1\/messages/);
      expect(attributes(upstream[0] as OtlpSpan)['http.response.status_code']).toBe(200);
      for (const kid of kids) {
        expect(kid.traceId).toBe(span.traceId);
        expect(BigInt(kid.startTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(span.startTimeUnixNano));
        expect(BigInt(kid.endTimeUnixNano)).toBeLessThanOrEqual(BigInt(span.endTimeUnixNano));
      }
      expect(BigInt((token as OtlpSpan).endTimeUnixNano)).toBeLessThanOrEqual(BigInt(upstream[0]?.startTimeUnixNano ?? 0));
    });

    it('a retried call shows both attempts, the throttled one marked as an error', () => {
      const attempts = children(root('trace-retried')).filter((kid) => kid.kind === 3);
      expect(attempts.map((kid) => attributes(kid)['http.response.status_code'])).toEqual([429, 200]);
      expect(attempts[0]?.status?.code).toBe(2); // ERROR
      expect(attributes(root('trace-retried'))['dbx_proxy.retries']).toBe(1);
    });
  });
});
