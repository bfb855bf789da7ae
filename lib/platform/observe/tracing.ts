import { INVALID_SPAN_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';

/**
 * OpenTelemetry traces across gateway → subgraphs → SQL, off unless an OTLP endpoint is configured
 * (OTEL_EXPORTER_OTLP_ENDPOINT): until a provider is registered every span here is a no-op that costs next to nothing.
 * Spans are made by hand, not by monkey-patching instrumentations, so what they carry is decided here: names of
 * things (service, subgraph, operation name, SQL verb), caller kinds, status codes and error codes — never a document,
 * variables, SQL text or parameters, a response, a person's code or name.
 */
export const tracer = trace.getTracer('credit-graph');

export interface TracingOptions {
  /** Where spans are sent (OTLP over HTTP, JSON); `/v1/traces` is added when the URL has no path. */
  endpoint?: string;
  serviceName: string;
  /** Tests: a span exporter of their own (in memory), spans exported one by one as they end. */
  exporter?: unknown;
}

/** Registers the SDK (loaded only when tracing is on) as the process's tracer provider; resolves its shutdown. */
export async function startTracing(options: TracingOptions): Promise<() => Promise<void>> {
  const sdk = await import('@opentelemetry/sdk-trace-node');
  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  let processor;
  if (options.exporter) {
    processor = new sdk.SimpleSpanProcessor(options.exporter as ConstructorParameters<typeof sdk.SimpleSpanProcessor>[0]);
  } else {
    if (!options.endpoint) throw new Error('tracing needs an OTLP endpoint');
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    const url = new URL(options.endpoint);
    if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1/traces';
    processor = new sdk.BatchSpanProcessor(new OTLPTraceExporter({ url: url.toString() }));
  }
  const provider = new sdk.NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [processor],
  });
  provider.register(); // W3C traceparent propagation and an AsyncLocalStorage context
  return async () => {
    await provider.shutdown();
    trace.disable();
    propagation.disable();
    context.disable();
  };
}

/** The context a request arrived with: its `traceparent` header, if any. */
export function incomingContext(headers: Record<string, string | string[] | undefined>): Context {
  return propagation.extract(context.active(), headers);
}

/** Adds the current trace's `traceparent` to an outgoing request's headers. */
export function propagateTo(setHeader: (name: string, value: string) => void): void {
  propagation.inject(context.active(), undefined, { set: (_carrier, key, value) => setHeader(key, value) });
}

/**
 * Runs `work` in a child span of the current one; none is made outside a trace (background work, tracing off), so
 * relays and schedulers do not start traces of their own.
 */
export async function inSpan<T>(name: string, attributes: Attributes, work: (span: Span) => Promise<T>, kind = SpanKind.INTERNAL): Promise<T> {
  if (!trace.getActiveSpan()) return work(trace.wrapSpanContext(INVALID_SPAN_CONTEXT));
  return tracer.startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
      throw error;
    } finally {
      span.end();
    }
  });
}

export { SpanKind, SpanStatusCode, context as traceContext, trace };
