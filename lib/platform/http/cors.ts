import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Cross-origin access to `/graphql` for the browser applications of an allowlist of origins (a portal on another
 * host). Credentials are never allowed: callers send their token in `Authorization`, which a page's script sets
 * itself, so no cookie of the gateway's origin is ever needed (nor offered to another site).
 */
export interface CorsOptions {
  /** Exact origins (`https://portal.example.gov.cn`), as browsers send them in `Origin`. */
  origins: ReadonlySet<string>;
}

const ALLOW_METHODS = 'GET, POST';
/** What a caller sends: the token, the purpose, a request id; `apollo-require-preflight` satisfies Apollo's CSRF check on a GET. */
const ALLOW_HEADERS = 'content-type, authorization, x-credit-purpose, x-request-id, apollo-require-preflight';
/** What a page may read of a response besides the safelisted headers: the id to quote, how long to wait after a 429. */
const EXPOSE_HEADERS = 'x-request-id, retry-after';
/** How long a browser may reuse a preflight's answer (s). */
const MAX_AGE = '600';

/**
 * Answers a preflight, or marks an actual request of an allowed origin as readable by it. Returns true when the
 * response has been sent (a preflight: nothing else runs for it).
 *
 * A preflight from an origin not on the list is answered 403, with no `Access-Control-Allow-*` header: the browser
 * refuses the request either way, and a 403 says so plainly in the browser's network panel and the access log,
 * where a 204 would look like success. An actual request is never refused here: same-origin requests carry `Origin`
 * too (the explorer's own POSTs), and a browser withholds a response without `Access-Control-Allow-Origin` from a
 * page of another origin by itself.
 */
export function applyCors(options: CorsOptions, req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers.origin;
  // the answer depends on Origin wherever an origin may read it: caches must keep one per origin
  if (options.origins.size > 0) res.setHeader('vary', 'Origin');
  const allowed = origin !== undefined && options.origins.has(origin);
  if (req.method === 'OPTIONS' && origin !== undefined && req.headers['access-control-request-method'] !== undefined) {
    if (!allowed) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', vary: 'Origin' });
      res.end('cross-origin requests from this origin are not allowed\n');
      return true;
    }
    res.writeHead(204, {
      'access-control-allow-origin': origin,
      'access-control-allow-methods': ALLOW_METHODS,
      'access-control-allow-headers': ALLOW_HEADERS,
      'access-control-max-age': MAX_AGE,
      vary: 'Origin',
    });
    res.end();
    return true;
  }
  if (allowed) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-expose-headers', EXPOSE_HEADERS);
  }
  return false;
}
