/**
 * One tracer provider per process (`service.name` soar-api or soar-worker), handed to whoever makes spans; never
 * registered as the global provider. Spans go to OTLP/HTTP when configured and to any extra processor (tests).
 */
import { context, propagation, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export type ServiceName = 'soar-api' | 'soar-worker';

export interface Tracing {
  tracer: Tracer;
  resource: Resource;
  /** Every span of the process passes through it (the worker's workflow spans arrive through a sink). */
  spanProcessor: SpanProcessor;
  /** Sends what is buffered and stops; for a graceful shutdown. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** `config.tracing.otlpTracesUrl`; null: nothing leaves the process. */
  otlpTracesUrl: string | null;
  /** More processors, e.g. an in-memory exporter in tests. */
  processors?: readonly SpanProcessor[];
}

let contextInstalled = false;

/**
 * The process-wide parts OpenTelemetry only knows globally: the async context (which span is active) and the W3C
 * propagator the Temporal interceptors use to carry the trace in workflow and activity headers. Idempotent.
 */
export function installTraceContext(): void {
  if (contextInstalled) return;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  contextInstalled = true;
}

export function createTracing(service: ServiceName, options: TracingOptions): Tracing {
  installTraceContext();
  const resource = new Resource({ [ATTR_SERVICE_NAME]: service });
  const processors = [...(options.processors ?? []), ...(options.otlpTracesUrl ? [new BatchSpanProcessor(new OTLPTraceExporter({ url: options.otlpTracesUrl }))] : [])];
  const provider = new BasicTracerProvider({ resource, spanProcessors: processors });
  const spanProcessor = fanOut(processors);
  return { tracer: provider.getTracer(service), resource, spanProcessor, shutdown: () => provider.shutdown() };
}

/** The provider's processors as one, for the workflow span sink (it takes a single processor). */
function fanOut(processors: readonly SpanProcessor[]): SpanProcessor {
  return {
    onStart: (span, parent) => processors.forEach((p) => p.onStart(span, parent)),
    onEnd: (span) => processors.forEach((p) => p.onEnd(span)),
    forceFlush: async () => void (await Promise.all(processors.map((p) => p.forceFlush()))),
    shutdown: async () => void (await Promise.all(processors.map((p) => p.shutdown()))),
  };
}
