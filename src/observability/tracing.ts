import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { ClientInterceptors } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { TallyConfig } from '../config/config.js';

/** The running tracer of a process: what the worker hands to its workflow span exporter. */
export interface Tracing {
  resource: Resource;
  spanProcessor: SpanProcessor;
  /** Exports what is buffered, then stops (call when the process stops). */
  shutdown: () => Promise<void>;
}

export function tracingEnabled(config: Pick<TallyConfig, 'OTEL_EXPORTER_OTLP_ENDPOINT'>): boolean {
  return config.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined;
}

/**
 * Registers the process's tracer provider (W3C trace context, spans batched to
 * `<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces` as OTLP/HTTP JSON) when tracing is on; off, nothing
 * is registered and the OpenTelemetry API stays its no-op self.
 */
export function startTracing(
  config: TallyConfig,
  serviceName: 'tally-api' | 'tally-worker',
): Tracing | undefined {
  if (!tracingEnabled(config)) return undefined;
  const resource = new Resource({ 'service.name': serviceName, 'deployment.environment': config.TALLY_ENV });
  const url = `${config.OTEL_EXPORTER_OTLP_ENDPOINT!.replace(/\/+$/, '')}/v1/traces`;
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter({ url }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  return { resource, spanProcessor, shutdown: () => provider.shutdown() };
}

/** The Temporal client's interceptors: a span per workflow start or signal, its context sent in the headers. */
export function tracingClientInterceptors(
  config: Pick<TallyConfig, 'OTEL_EXPORTER_OTLP_ENDPOINT'>,
): ClientInterceptors | undefined {
  return tracingEnabled(config) ? { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } : undefined;
}
