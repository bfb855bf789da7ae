import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext, type ContextFunction } from '@apollo/server';

export interface ServeOptions<Context extends BaseContext> {
  port: number;
  host?: string;
  /** Builds the per-request context (DataLoaders, the caller) from the raw request and its parsed body. */
  context: ContextFunction<[{ req: IncomingMessage; body: unknown }], Context>;
  /** Extra facts for `GET /healthz` (e.g. a database ping); a throw answers 503. */
  health?: () => Promise<Record<string, unknown>>;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes?: number;
}

export interface Listening {
  url: string;
  port: number;
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

/**
 * Serves an already-started Apollo Server on plain node:http: `/graphql` (GET and POST) and `/healthz`.
 * Kept to what Apollo's own integrations do, without a web framework.
 */
export async function serve<Context extends BaseContext>(
  apollo: ApolloServer<Context>,
  options: ServeOptions<Context>,
): Promise<Listening> {
  const maxBody = options.maxBodyBytes ?? 1_000_000;
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, error instanceof BodyTooLarge ? 413 : 500, { error: error instanceof BodyTooLarge ? 'request body too large' : 'internal error' });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz' && req.method === 'GET') {
      try {
        send(res, 200, { status: 'ok', ...(await options.health?.()) });
      } catch (error) {
        send(res, 503, { status: 'unavailable', reason: error instanceof Error ? error.message : String(error) });
      }
      return;
    }
    if (url.pathname !== '/graphql') return send(res, 404, { error: 'not found; GraphQL is served at /graphql' });

    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const raw = req.method === 'POST' ? await readBody(req, maxBody) : '';
    let body: unknown = raw;
    if (raw && headers.get('content-type')?.startsWith('application/json')) {
      try {
        body = JSON.parse(raw);
      } catch {
        return send(res, 400, { errors: [{ message: 'request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
      }
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: () => options.context({ req, body }),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`port ${options.port} is already in use (${error.message})`) : error),
    );
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : 'localhost';
  return {
    port,
    url: `http://${host}:${port}/graphql`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(payload));
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
