import type { IncomingMessage, ServerResponse } from 'node:http';
import { logOf } from './log.js';
import { operationLabel, requests, requestSeconds } from './metrics.js';
import { REQUEST_ID_HEADER, currentRequest, inRequest, requestIdFrom, type RequestScope } from './requestScope.js';
import { SpanKind, SpanStatusCode, incomingContext, trace, traceContext, tracer } from './tracing.js';

/** What the steps of a request tell its observation as they learn it. */
interface Observed extends RequestScope {
  operation?: string;
  /** The document's SHA-256, and the registered operation's name when it is one. */
  document?: { registered?: string; hash: string };
  callerKind?: string;
  outcome?: string;
}

/** The caller's kind, once the request's context knows it (the gateway's token, a subgraph's proof). */
export function noteCaller(kind: string): void {
  const observed = currentRequest() as Observed | undefined;
  if (observed) observed.callerKind = kind;
}

/** The operation's name, once Apollo has resolved it. */
export function noteOperation(name: string | null | undefined): void {
  const observed = currentRequest() as Observed | undefined;
  if (observed && name) observed.operation = name;
}

/** Which document the request carries: its hash, and its registered name (departments may send their own). */
export function noteDocument(document: { registered?: string; hash: string }): void {
  const observed = currentRequest() as Observed | undefined;
  if (observed) observed.document = document;
}

/** The outcome: `OK` or the first error's registered code. */
export function noteOutcome(code: string): void {
  const observed = currentRequest() as Observed | undefined;
  if (observed && !observed.outcome) observed.outcome = code;
}

/**
 * One GraphQL request, observed: a request id (the caller's `x-request-id` when it looks like one, else made here)
 * returned in the response and carried by every log line and subgraph call; a server span continuing the caller's
 * trace; when the response is sent, the request counted and timed by operation, caller kind and outcome, and one
 * access log line.
 */
export function observeRequest(service: string, req: IncomingMessage, res: ServerResponse, work: () => Promise<void>): Promise<void> {
  const started = process.hrtime.bigint();
  const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
  res.setHeader(REQUEST_ID_HEADER, requestId);
  const parent = incomingContext(req.headers);
  const span = tracer.startSpan(`${req.method ?? 'GET'} /graphql`, { kind: SpanKind.SERVER, attributes: { 'credit_graph.service': service } }, parent);
  const observed: Observed = { requestId, ...(span.isRecording() ? { traceId: span.spanContext().traceId } : {}) };
  res.once('close', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const labels = {
      service,
      operation: operationLabel(observed.operation),
      caller_kind: observed.callerKind ?? 'unknown',
      outcome: observed.outcome ?? (res.statusCode < 400 ? 'OK' : `HTTP_${res.statusCode}`),
    };
    requests.inc(labels);
    requestSeconds.observe(labels, seconds);
    span.setAttributes({
      'http.response.status_code': res.statusCode,
      'graphql.operation.name': labels.operation,
      'credit_graph.caller_kind': labels.caller_kind,
      'credit_graph.outcome': labels.outcome,
    });
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: labels.outcome });
    span.end();
    logOf(service).info(
      {
        requestId,
        ...(observed.traceId ? { traceId: observed.traceId } : {}),
        method: req.method,
        status: res.statusCode,
        ms: Math.round(seconds * 1000),
        operation: labels.operation,
        callerKind: labels.caller_kind,
        outcome: labels.outcome,
        ...(observed.document ? { documentHash: observed.document.hash, registeredOperation: observed.document.registered ?? null } : {}),
        ...(res.writableFinished ? {} : { aborted: true }),
      },
      'request',
    );
  });
  return traceContext.with(trace.setSpan(parent, span), () => inRequest(observed, work));
}

/**
 * The outcome of a GraphQL response body without parsing it (a 50-file answer is tens of kilobytes): `OK`, or the
 * first error's code. Apollo Server writes `errors` first, and a message's quotes are escaped, so the first `"code":"`
 * after it is an error's; anything unlike a registered code counts as `ERROR`.
 */
export function outcomeOfBody(body: string): string {
  if (!body.startsWith('{"errors":')) return 'OK';
  const at = body.indexOf('"code":"');
  if (at < 0) return 'ERROR';
  const code = body.slice(at + 8, body.indexOf('"', at + 8));
  return /^[A-Z_]{1,64}$/.test(code) ? code : 'ERROR';
}
