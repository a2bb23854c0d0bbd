import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { RequestRecord } from './request-record.js';
import type { RequestTracer } from './traces.js';

/**
 * Spans from a finished request's record, with the times it recorded: one
 * server span per request carrying the OpenTelemetry GenAI attributes
 * (`gen_ai.*`), and under it a span per token fetch and per upstream
 * attempt. Made after the response closed, so nothing waits on tracing;
 * exported in batches by the official SDK's OTLP/HTTP (JSON) exporter.
 */
export function createOtlpTracer(url: string, version: string): RequestTracer {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME || 'dbx-proxy', 'service.version': version }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url }) })],
  });
  const tracer = provider.getTracer('dbx-proxy', version);
  return {
    read: (record) => spansOf(tracer, record),
    close: () => provider.shutdown(),
  };
}

/** `performance.now()` values as the epoch milliseconds spans carry. */
function epoch(at: number): number {
  return performance.timeOrigin + at;
}

function spansOf(tracer: Tracer, record: RequestRecord): void {
  const { summary } = record;
  const end = record.startedAt + record.ms;
  const root = tracer.startSpan(
    `chat ${summary.model ?? ''}`.trim(),
    { kind: SpanKind.SERVER, startTime: epoch(record.startedAt), attributes: rootAttributes(record) },
    ROOT_CONTEXT,
  );
  if (record.outcome !== 'ok') {
    root.setStatus({ code: SpanStatusCode.ERROR, ...(summary.error ? { message: summary.error } : {}) });
    root.setAttribute('error.type', record.outcome === 'client_error' ? String(record.status) : record.outcome);
  }
  const parent = trace.setSpan(ROOT_CONTEXT, root);
  const attempts = summary.attempts ?? [];
  attempts.forEach((attempt, index) => {
    // A token at hand (reused) makes no span: only an attempt that waited for the SDK has one.
    if (attempt.authorizedAt > attempt.startedAt) {
      tracer.startSpan('databricks token', { kind: SpanKind.INTERNAL, startTime: epoch(attempt.startedAt) }, parent).end(epoch(attempt.authorizedAt));
    }
    const last = index === attempts.length - 1;
    const span = tracer.startSpan(
      `POST ${summary.route ?? 'upstream'}`,
      {
        kind: SpanKind.CLIENT,
        startTime: epoch(attempt.authorizedAt),
        attributes: {
          'http.request.method': 'POST',
          'dbx_proxy.attempt': index + 1,
          ...(attempt.status !== undefined ? { 'http.response.status_code': attempt.status } : { 'error.type': attempt.error ?? 'error' }),
        },
      },
      parent,
    );
    if (attempt.error !== undefined || (attempt.status ?? 0) >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
    // The answer's body is read to the end of the request: the last attempt lasts that long.
    span.end(epoch(last && attempt.status !== undefined && attempt.status < 300 ? end : attempt.endedAt));
  });
  root.end(epoch(end));
}

function rootAttributes(record: RequestRecord): Attributes {
  const { summary, tokens } = record;
  const attributes: Attributes = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'databricks',
    'http.request.method': record.method,
    'http.route': record.route,
    'http.response.status_code': record.status,
    'dbx_proxy.request_id': record.requestId,
    'dbx_proxy.client': record.client,
  };
  const optional: Record<string, string | number | undefined> = {
    'gen_ai.request.model': summary.model,
    'gen_ai.response.model': summary.endpoint,
    'gen_ai.usage.input_tokens': tokens && tokens.input + tokens.cacheRead + tokens.cacheWrite,
    'gen_ai.usage.output_tokens': tokens?.output,
    'gen_ai.usage.cache_read.input_tokens': tokens?.cacheRead || undefined,
    'gen_ai.usage.cache_creation.input_tokens': tokens?.cacheWrite || undefined,
    'gen_ai.usage.reasoning.output_tokens': tokens?.reasoning || undefined,
    'dbx_proxy.family': summary.family,
    'dbx_proxy.surface': summary.surface,
    'dbx_proxy.mode': summary.mode,
    'dbx_proxy.upstream_route': summary.route,
    'dbx_proxy.retries': summary.retries,
    'dbx_proxy.time_to_first_byte_ms': summary.attempts ? Math.round(record.ttfbMs) : undefined,
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) attributes[key] = value;
  if (summary.repairs?.length) attributes['dbx_proxy.repairs'] = summary.repairs;
  return attributes;
}
