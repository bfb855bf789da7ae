import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { BrokenCircuitError, ConsecutiveBreaker, TaskCancelledError, TimeoutStrategy, circuitBreaker, handleAll, timeout, wrap } from 'cockatiel';
import { GraphQLError } from 'graphql';
import { Agent } from 'undici';
import { PROOF_HEADER, type ProofKeys } from '../../lib/platform/auth/gatewayProof.js';
import { ErrorCode, creditError } from '../../lib/platform/errors.js';
import { neverKeepAnswer, type GatewayContext } from './context.js';
import { describeError, logOf } from '../../lib/platform/observe/log.js';
import { subgraphFetchErrors, subgraphFetchesShared, subgraphFetchSeconds } from '../../lib/platform/observe/metrics.js';
import { SharedFetches, sharedFetchKey } from './shareFetches.js';
import { REQUEST_ID_HEADER, currentRequest } from '../../lib/platform/observe/requestScope.js';
import { SpanKind, inSpan, propagateTo } from '../../lib/platform/observe/tracing.js';

const log = logOf('gateway');

/** Codes a subgraph answers when the caller's input was at fault (variable coercion answers HTTP 400 with them). */
const CALLERS_FAULT = new Set<string>([ErrorCode.BAD_USER_INPUT, ErrorCode.BAD_IDENTIFIER]);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);

/**
 * Kept-alive connections to the subgraphs, shared by every source and every reload. undici's own request API, not
 * fetch: no Request/Response objects, streams or header classes per call, which the gateway paid for on every fetch.
 */
const subgraphConnections = new Agent({ keepAliveTimeout: 10_000 });

/** What a subgraph answered, read whole within the time limit. */
interface SubgraphReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface SubgraphCallOptions {
  /** How long one fetch may take. */
  timeoutMs: number;
  /** Consecutive failures (errors, timeouts, 5xx) that cut the subgraph off, and for how long. */
  breakAfter?: number;
  breakForMs?: number;
}

/**
 * Every fetch to a subgraph: with a proof made for it alone (lib/platform/auth/gatewayProof.ts), within a time limit, behind a
 * circuit breaker (a subgraph that keeps failing is not asked again for a while: requests fail at once instead of
 * piling up), and a read sent once more when its kept-alive connection was reset (a write never: it may have been
 * applied). Timeouts, breaker and retry are cockatiel's policies, not hand-made timers. What goes wrong reaches the
 * caller naming the subgraph, never its address, status line or body.
 */
export class SubgraphSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly policy;
  private readonly shared = new SharedFetches<GatewayGraphQLResponse>();

  constructor(
    private readonly name: string,
    url: string,
    private readonly keys: ProofKeys,
    options: SubgraphCallOptions,
  ) {
    super({ url });
    const breaker = circuitBreaker(
      handleAll.orWhenResult((r) => (r as SubgraphReply).status >= 500),
      {
        halfOpenAfter: options.breakForMs ?? 10_000,
        breaker: new ConsecutiveBreaker(options.breakAfter ?? 5),
      },
    );
    this.policy = wrap(breaker, timeout(options.timeoutMs, TimeoutStrategy.Aggressive));
    this.target = new URL(url);
    // Apollo declares sendRequest private in its types, though it is meant to be replaced; replaced per instance
    (this as unknown as { sendRequest: (request: GatewayGraphQLRequest) => Promise<GatewayGraphQLResponse> }).sendRequest = (request) => this.send(request);
  }

  private readonly target: URL;

  /**
   * Replaces Apollo's fetcher: the body is sent and read whole within the time limit (the policy aborts the request's
   * signal when the time is up), on kept-alive connections. A parent signal of its own per call: cockatiel's shared
   * default would collect a listener per call in flight.
   */
  private async send(request: GatewayGraphQLRequest): Promise<GatewayGraphQLResponse> {
    const { http, ...payload } = request;
    if (!http) throw new Error('a subgraph request without its HTTP part');
    const reply = await this.policy.execute(async ({ signal }): Promise<SubgraphReply> => {
      const { statusCode, headers, body } = await subgraphConnections.request({
        origin: this.target.origin,
        path: this.target.pathname + this.target.search,
        method: 'POST',
        headers: Object.fromEntries(http.headers),
        body: JSON.stringify(payload),
        signal,
      });
      return { status: statusCode, headers, text: await body.text() };
    }, new AbortController().signal);
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(reply.headers)) {
      if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    if (reply.status < 200 || reply.status > 299) {
      throw await this.errorFromResponse(new Response(reply.text, { status: reply.status, headers: responseHeaders }) as never);
    }
    const body: unknown = JSON.parse(reply.text);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error(`the ${this.name} subgraph did not answer a JSON object`);
    return { ...(body as GatewayGraphQLResponse), http: { headers: responseHeaders, status: reply.status } };
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    if (!('caller' in context)) throw new Error('no caller in the gateway context: refusing to call a subgraph');
    const proof = this.keys.sign(context.caller, { audience: this.name, query: request.query ?? '', variables: request.variables ?? null });
    const headers = request.http?.headers;
    headers?.set(PROOF_HEADER, proof);
    // the subgraph's log lines and spans join the request's
    const requestId = currentRequest()?.requestId;
    if (requestId) headers?.set(REQUEST_ID_HEADER, requestId);
    if (headers) propagateTo((name, value) => headers.set(name, value));
  }

  /** Identical reads by the same caller in flight at once reach the subgraph once (./shareFetches.ts). */
  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const context = 'caller' in options.context ? (options.context as GatewayContext) : undefined;
    const key = sharedFetchKey(context, options.request.query ?? '', options.request.variables);
    if (key === null && context) neverKeepAnswer(context, 'a fetch that writes or records');
    return this.shared.run(
      key,
      () => this.observedFetch(options),
      () => subgraphFetchesShared.inc({ subgraph: this.name }),
    );
  }

  /** One fetch, timed and traced (a client span; the subgraph's server span is its child). */
  private async observedFetch(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const started = process.hrtime.bigint();
    let outcome = 'error';
    try {
      const response = await inSpan(`fetch ${this.name}`, { 'credit_graph.subgraph': this.name }, () => this.fetchOnce(options), SpanKind.CLIENT);
      outcome = 'ok';
      return response;
    } finally {
      subgraphFetchSeconds.observe({ subgraph: this.name, outcome }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  private async fetchOnce(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    try {
      try {
        return await super.process(options);
      } catch (error) {
        if (!isConnectionReset(error) || /^\s*mutation\b/.test(options.request.query ?? '')) throw error;
        return await super.process(options); // willSendRequest signs a new proof: the first was used
      }
    } catch (error) {
      if (error instanceof GraphQLError && typeof error.extensions.code === 'string' && CALLERS_FAULT.has(error.extensions.code)) throw error;
      const kind = error instanceof BrokenCircuitError ? 'cut_off' : error instanceof TaskCancelledError ? 'timeout' : 'failed';
      const reason = { cut_off: 'cut off after repeated failures', timeout: 'timed out', failed: 'failed' }[kind];
      subgraphFetchErrors.inc({ subgraph: this.name, reason: kind });
      log.error({ subgraph: this.name, reason: kind, error: describeError(error) }, `the ${this.name} subgraph ${reason}`);
      throw creditError(ErrorCode.SERVICE_UNAVAILABLE, `the ${this.name} service is unavailable (${reason})`, { service: this.name });
    }
  }

  /** A subgraph's HTTP error: the caller's own mistake is passed on in the subgraph's words; anything else is ours. */
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]): Promise<GraphQLError> {
    const body = (await response.json().catch(() => null)) as { errors?: { message?: unknown; extensions?: { code?: unknown } }[] } | null;
    const first = body?.errors?.[0];
    const code = first?.extensions?.code;
    if (response.status === 400 && typeof code === 'string' && CALLERS_FAULT.has(code) && typeof first?.message === 'string') {
      return creditError(code as ErrorCode, first.message, { service: this.name });
    }
    // only the codes: a body may carry data, and this message reaches the logs
    const codes = (body?.errors ?? []).map((e) => e.extensions?.code).filter((c): c is string => typeof c === 'string');
    return new GraphQLError(`HTTP ${response.status} from ${this.name}${codes.length ? ` (${[...new Set(codes)].join(', ')})` : ''}`);
  }
}

function isConnectionReset(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && RESET.has(code)) return true;
    if (e instanceof Error && /socket hang up|other side closed/.test(e.message)) return true;
  }
  return false;
}
