import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  headers: Record<string, string>;
  body: string;
}

export interface RecordingProxy {
  url: string;
  /** Every request that went through, oldest first. */
  seen: Recorded[];
  close(): Promise<void>;
}

/** An HTTP proxy to `target` that keeps a copy of each request: what someone on the wire between two services sees. */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const seen: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
      seen.push({ headers, body });
      const forward = Object.fromEntries(Object.entries(headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k)));
      fetch(target, { method: req.method ?? 'POST', headers: forward, ...(req.method === 'POST' ? { body } : {}) })
        .then(async (answer) => {
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
          res.end(await answer.text());
        })
        .catch(() => {
          res.writeHead(502);
          res.end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
