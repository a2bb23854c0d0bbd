import type { Config } from '../config/schema.js';
import type { Logger } from '../logging/logger.js';
import type { RequestRecord } from './request-record.js';

/** Turns request records into spans; exists only when tracing is configured. */
export interface RequestTracer {
  read(record: RequestRecord): void;
  /** Sends the spans still queued, then stops. */
  close(): Promise<void>;
}

/**
 * The OTLP/HTTP endpoint traces go to: `observability.traces.endpoint`, else
 * the standard variables (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, a full URL, or
 * OTEL_EXPORTER_OTLP_ENDPOINT, a base one); OTEL_SDK_DISABLED=true turns it off.
 */
export function tracesEndpoint(config: Config, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const base = config.observability.traces.endpoint ?? nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  const full = config.observability.traces.endpoint === undefined ? nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) : undefined;
  return full ?? (base === undefined ? undefined : `${base.replace(/\/+$/, '')}/v1/traces`);
}

/**
 * Loads the OpenTelemetry SDK only when an endpoint is configured: without
 * one, not a module of it is imported, so tracing costs nothing.
 */
export async function loadTracing(config: Config, version: string, logger: Logger): Promise<RequestTracer | undefined> {
  const url = tracesEndpoint(config);
  if (url === undefined) return undefined;
  const { createOtlpTracer } = await import('./otlp-tracer.js');
  logger.info({ endpoint: url }, 'traces: exporting spans over OTLP/HTTP');
  return createOtlpTracer(url, version);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
