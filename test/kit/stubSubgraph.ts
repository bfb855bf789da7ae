import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the stub answers one request: a JSON body after a delay, a reset connection, or nothing at all. */
export type StubAnswer = { json: unknown; delayMs?: number; status?: number } | 'reset' | 'hang';

export interface StubSubgraph {
  url: string;
  /** Requests it received, with their parsed bodies. */
  received: { query: string }[];
  close(): Promise<void>;
}

/**
 * A stand-in for a subgraph that misbehaves as a test tells it to (slow, down, resetting): for the gateway's
 * timeouts, circuit breaker, retries and drain. It checks no proof; it is not one of ours.
 */
export async function startStubSubgraph(answer: (body: { query: string }, n: number) => StubAnswer): Promise<StubSubgraph> {
  const received: { query: string }[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { query: string };
      received.push(body);
      const reply = answer(body, received.length);
      if (reply === 'reset') return void req.socket.destroy();
      if (reply === 'hang') return void hanging.add(res);
      setTimeout(() => {
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply.json));
      }, reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
