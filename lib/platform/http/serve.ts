import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext, type ContextFunction } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode, HTTP_STATUS, type ErrorCode as Code } from '../errors.js';
import { describeError, logOf } from '../observe/log.js';
import { scrape } from '../observe/metrics.js';
import { noteOutcome, observeRequest, outcomeOfBody } from '../observe/observeRequest.js';
import { applyCors, type CorsOptions } from './cors.js';
import { explorer } from './explorer.js';

/** A request refused before Apollo sees it: the status, and one GraphQL error saying why. */
export interface Refusal {
  code: Code;
  message: string;
  detail?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/**
 * What the server learnt of a request before reading its body (who is asking, whether they may): it sets the
 * largest body accepted, may refuse once the body is read, and is released when the response is sent.
 */
export interface Admission<State> {
  state: State;
  maxBodyBytes: number;
  /** A last look at the parsed body (and a GET's parameters) before Apollo parses the document: a token count, registered operations. */
  inspect?(body: unknown, search: URLSearchParams): Refusal | null;
  release(): void;
}

export interface ServeOptions<Context extends BaseContext, State = undefined> {
  /** The service's name in metrics, logs and traces. */
  service: string;
  port: number;
  /** `/metrics` on a listener of its own at this port (the gateway's: callers must not read it); absent: on `port`. */
  metricsPort?: number;
  host?: string;
  /** Before the body is read: admit (and say how much body may follow) or refuse. */
  admit?: (req: IncomingMessage) => Promise<Admission<State> | Refusal>;
  /** Builds the per-request context (DataLoaders, the caller) from the request, its parsed body and its admission. */
  context: ContextFunction<[{ req: IncomingMessage; body: unknown; admitted: State }], Context>;
  /** What `/health/ready` checks (a database ping, the services behind); a throw answers 503. */
  ready?: () => Promise<Record<string, unknown>>;
  /** Largest request body accepted when `admit` does not say (bytes). */
  maxBodyBytes?: number;
  /** The whole request (headers and body) must arrive within this (ms); headers within `headersTimeoutMs`. */
  requestTimeoutMs?: number;
  headersTimeoutMs?: number;
  /** An idle kept-alive connection is closed after this (ms). */
  keepAliveTimeoutMs?: number;
  /** On close: how long requests in flight may take to finish before their connections are cut (ms). */
  drainTimeoutMs?: number;
  /** GraphiQL from this server's own files, for a browser at `/graphql` (and `/explorer`); absent: a browser gets a 406 page. */
  explorer?: boolean;
  /** Origins whose pages may call `/graphql`; absent: none (every preflight is refused). */
  cors?: CorsOptions;
}

export interface Listening {
  url: string;
  port: number;
  /** Where `/metrics` is served when it has a port of its own. */
  metricsUrl?: string;
  /** Stops accepting, reports not ready, lets what is in flight finish (bounded), then closes every connection. */
  close(): Promise<void>;
}

const DEFAULTS = { maxBodyBytes: 1_000_000, requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000, drainTimeoutMs: 10_000 };

/** Past this, a body is not even read to be dropped: the connection is closed after the 413. */
const DRAIN_AT_MOST = 16 * 1024 * 1024;

class BodyTooLarge extends Error {
  constructor(
    message: string,
    /** Closing before the client has sent its body may reset the connection under the 413; reading it is cheap up to a point. */
    readonly close: boolean,
  ) {
    super(message);
  }
}

/**
 * Serves an already-started Apollo Server on plain node:http: `/graphql` (GET and POST), `/health/live`,
 * `/health/ready` (and `/healthz`, its older name), `/metrics` (Prometheus). Every GraphQL request is observed
 * (request id, span, metrics, access log: ../observe/observeRequest.ts). Kept to what Apollo's own integrations do, plus what a server
 * facing the internet needs: a refusal before the body is read, a body limit answered with 413 and a GraphQL
 * error, timeouts for slow clients, and a drain on close so nothing in flight is dropped. A browser at `/graphql`
 * gets the explorer or a page saying there is none (./explorer.ts), never Apollo's CDN landing page; cross-origin
 * access follows an allowlist (./cors.ts).
 */
export async function serve<Context extends BaseContext, State = undefined>(
  /** The server, or where to find the one answering now (a gateway that reloads its supergraph). */
  apollo: ApolloServer<Context> | (() => ApolloServer<Context>),
  options: ServeOptions<Context, State>,
): Promise<Listening> {
  const settings = { ...DEFAULTS, ...definedOnly(options) };
  let draining = false;
  const inFlight = new Set<ServerResponse>();
  let drained: (() => void) | null = null;
  const browser = explorer(options.explorer ?? false);
  const cors: CorsOptions = options.cors ?? { origins: new Set() };

  const server = createServer(
    {
      requestTimeout: settings.requestTimeoutMs,
      headersTimeout: settings.headersTimeoutMs,
      keepAliveTimeout: settings.keepAliveTimeoutMs,
      // how often Node checks the two timeouts above (its default, 30 s, lets a slow client linger that long)
      connectionsCheckingInterval: 1_000,
    },
    (req, res) => {
      inFlight.add(res);
      res.once('close', () => {
        inFlight.delete(res);
        if (draining && inFlight.size === 0) drained?.();
      });
      if (draining) res.setHeader('connection', 'close');
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'GET' && url.pathname === '/health/live') return sendJson(res, 200, { status: 'ok' });
      if (req.method === 'GET' && (url.pathname === '/health/ready' || url.pathname === '/healthz')) return void ready(res);
      if (req.method === 'GET' && url.pathname === '/metrics' && options.metricsPort === undefined) return void metrics(res);
      if (browser(req, res, url.pathname)) return;
      if (url.pathname !== '/graphql') return sendJson(res, 404, { error: 'not found; GraphQL is served at /graphql' });
      if (applyCors(cors, req, res)) return;
      void observeRequest(options.service, req, res, () =>
        handle(req, res, url).catch((error: unknown) => {
          if (error instanceof BodyTooLarge) return refuse(res, { code: ErrorCode.PAYLOAD_TOO_LARGE, message: error.message }, error.close);
          log.error({ error: describeError(error) }, 'request failed');
          noteOutcome(ErrorCode.INTERNAL_SERVER_ERROR);
          if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'internal error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }] });
          else res.end();
        }),
      );
    },
  );
  const log = logOf(options.service);

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const admitted = options.admit ? await options.admit(req) : null;
    if (admitted && 'code' in admitted) return refuse(res, admitted, true);
    try {
      const limit = admitted?.maxBodyBytes ?? settings.maxBodyBytes;
      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared > limit) {
        const close = declared > DRAIN_AT_MOST;
        if (!close) req.resume(); // read and drop it, so the client sees the 413 instead of a reset
        throw new BodyTooLarge(`the request body is larger than ${limit} bytes`, close);
      }
      const raw = req.method === 'POST' ? await readBody(req, limit) : '';
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      let body: unknown = raw;
      if (raw && headers.get('content-type')?.startsWith('application/json')) {
        try {
          body = JSON.parse(raw);
        } catch {
          return refuse(res, { code: ErrorCode.BAD_USER_INPUT, message: 'the request body is not valid JSON' });
        }
      }
      const refused = admitted?.inspect?.(body, url.searchParams);
      if (refused) return refuse(res, refused);
      const server = typeof apollo === 'function' ? apollo() : apollo;
      const response = await server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
        context: () => options.context({ req, body, admitted: admitted?.state as State }),
      });
      for (const [key, value] of response.headers) res.setHeader(key, value);
      res.statusCode = response.status ?? 200;
      if (response.body.kind === 'complete') {
        noteOutcome(outcomeOfBody(response.body.string));
        res.end(response.body.string);
        return;
      }
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    } finally {
      admitted?.release();
    }
  }

  async function metrics(res: ServerResponse): Promise<void> {
    const { contentType, body } = await scrape();
    res.writeHead(200, { 'content-type': contentType });
    res.end(body);
  }

  async function ready(res: ServerResponse): Promise<void> {
    if (draining) return sendJson(res, 503, { status: 'draining' });
    try {
      sendJson(res, 200, { status: 'ok', ...(await options.ready?.()) });
    } catch (error) {
      sendJson(res, 503, { status: 'unavailable', reason: error instanceof Error ? error.message : String(error) });
    }
  }

  await listen(server, options.port, options.host);
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : 'localhost';
  const metricsServer =
    options.metricsPort === undefined
      ? null
      : await listen(
          createServer((req, res) =>
            req.method === 'GET' && req.url === '/metrics' ? void metrics(res) : sendJson(res, 404, { error: 'only /metrics here' }),
          ),
          options.metricsPort,
          options.host,
        );
  return {
    port,
    url: `http://${host}:${port}/graphql`,
    ...(metricsServer ? { metricsUrl: `http://${host}:${(metricsServer.address() as AddressInfo).port}/metrics` } : {}),
    close: async () => {
      draining = true;
      metricsServer?.close();
      metricsServer?.closeAllConnections();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight.size > 0) {
        const finished = new Promise<void>((resolve) => (drained = resolve));
        const timer = setTimeout(() => drained?.(), settings.drainTimeoutMs);
        await finished;
        clearTimeout(timer);
      }
      server.closeAllConnections();
      await closed;
    },
  };
}

async function listen(server: Server, port: number, host = '127.0.0.1'): Promise<Server> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`port ${port} is already in use (${error.message})`) : error),
    );
    server.listen(port, host, () => resolve());
  });
  return server;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(payload));
}

/** A GraphQL error response with the status of its code; `close` ends the connection (the body was not read). */
function refuse(res: ServerResponse, refusal: Refusal, close = false): void {
  noteOutcome(refusal.code);
  if (res.headersSent) return void res.end();
  const error: GraphQLFormattedError = { message: refusal.message, extensions: { code: refusal.code, ...refusal.detail } };
  for (const [key, value] of Object.entries(refusal.headers ?? {})) res.setHeader(key, value);
  if (close) res.setHeader('connection', 'close');
  sendJson(res, HTTP_STATUS[refusal.code], { errors: [error] });
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // stop keeping what arrives; the 413 goes out, and the connection closes after it
        req.off('data', onData);
        req.resume();
        reject(new BodyTooLarge(`the request body is larger than ${limit} bytes`, false));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
