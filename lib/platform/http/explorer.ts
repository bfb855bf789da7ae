import type { IncomingMessage, ServerResponse } from 'node:http';
import Negotiator from 'negotiator';
import { explorerAssets, locateExplorerFiles, type Asset } from './explorerAssets.js';
import { EXPLORER_CSP, explorerHtml, NO_EXPLORER_CSP, NO_EXPLORER_HTML } from './explorerPage.js';

/** Apollo Server's own choice (ApolloServer.prefersHTML): a GET whose Accept ranks text/html above every GraphQL answer. */
const OFFERED = [
  'application/json; charset=utf-8',
  'application/graphql-response+json; charset=utf-8',
  'multipart/mixed; deferSpec=20220824',
  'multipart/mixed; incrementalSpec=v0.2',
  'multipart/mixed',
  'text/html',
];

/** A browser opening the address: the request Apollo Server would answer with its landing page (fetched from a CDN). */
export function prefersHtml(req: IncomingMessage): boolean {
  const accept = req.headers.accept;
  return req.method === 'GET' && !!accept && new Negotiator({ headers: { accept } }).mediaType(OFFERED) === 'text/html';
}

const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' };

/**
 * The browser's side of `/graphql`, answered before Apollo Server sees the request, so its landing page never shows.
 * With `enabled`, GraphiQL from this server's own files: at `/explorer`, and at `/graphql` for a browser; without,
 * a browser at `/graphql` gets a 406 page that loads nothing. Returns true when it has answered.
 */
export function explorer(enabled: boolean): (req: IncomingMessage, res: ServerResponse, path: string) => boolean {
  // a missing package is found on start, not by the first person to open the page
  if (enabled) locateExplorerFiles();
  return (req, res, path) => {
    if (req.method !== 'GET') return false;
    if (path === '/graphql' && prefersHtml(req)) {
      if (enabled) sendPage(res);
      else send(res, 406, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': NO_EXPLORER_CSP }, NO_EXPLORER_HTML);
      return true;
    }
    if (!enabled) return false;
    if (path === '/explorer') {
      sendPage(res);
      return true;
    }
    if (!path.startsWith('/explorer/assets/')) return false;
    const asset = explorerAssets().byPath.get(path);
    if (asset) sendAsset(req, res, asset).catch(() => res.destroy());
    else send(res, 404, { 'content-type': 'text/plain; charset=utf-8' }, 'not found\n');
    return true;
  };
}

function sendPage(res: ServerResponse): void {
  const a = explorerAssets();
  const html = explorerHtml({ styles: [a.graphiqlCss.path, a.css.path], scripts: [a.react.path, a.reactDom.path, a.graphiql.path, a.script.path] });
  // the page names its files by content: it is never cached, they are, for a year
  send(res, 200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': EXPLORER_CSP }, html);
}

async function sendAsset(req: IncomingMessage, res: ServerResponse, asset: Asset): Promise<void> {
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzip ? await asset.gzipped() : asset.body;
  send(
    res,
    200,
    {
      'content-type': asset.contentType,
      'cache-control': 'public, max-age=31536000, immutable',
      vary: 'Accept-Encoding',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    },
    body,
  );
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): void {
  res.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
