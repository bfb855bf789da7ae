import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import type { Browser } from 'playwright-core';
import { launchChromium, recordRequests } from '../../../test/kit/chromium.js';
import { serve, type Listening } from './serve.js';

interface Seen {
  authorization: string | null;
  purpose: string | null;
}

/** What a portal's script gets from the gateway: the answer and the headers it may read, or the browser's refusal. */
type Outcome = { status: number; body: unknown; requestId: string | null } | { refused: string };

/**
 * Real preflights, sent by Chromium: a portal on an allowed origin calls the gateway with a token and a purpose (which
 * no browser sends cross-origin without a preflight), and a page on another origin is stopped by the browser before its
 * request runs.
 */
describe('CORS in a browser', () => {
  const runs: Seen[] = [];
  const apollo = new ApolloServer<Seen>({
    typeDefs: 'type Query { seen: Seen } type Seen { authorization: String purpose: String }',
    resolvers: { Query: { seen: (_: unknown, __: unknown, context: Seen) => (runs.push(context), context) } },
  });
  let browser: Browser;
  let gateway: Listening;
  const portals: Server[] = [];
  /** A page on an origin of its own (another port of this machine). */
  const portal = async () => {
    const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>portal</title>'));
    portals.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  let allowed: string;
  let other: string;

  beforeAll(async () => {
    await apollo.start();
    allowed = await portal();
    other = await portal();
    gateway = await serve(apollo, {
      service: 'test',
      port: 0,
      host: '127.0.0.1',
      cors: { origins: new Set([allowed]) },
      context: async ({ req }) => ({ authorization: req.headers.authorization ?? null, purpose: (req.headers['x-credit-purpose'] as string) ?? null }),
    });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    for (const server of portals) await new Promise((resolve) => server.close(resolve));
    await apollo.stop();
  });

  /** Opens `origin`'s page and calls the gateway from its script as a portal would. */
  const callFrom = async (origin: string): Promise<Outcome> => {
    const context = await browser.newContext();
    try {
      const requests = await recordRequests(context, [allowed, other, new URL(gateway.url).origin], { guard: false });
      const page = await context.newPage();
      await page.goto(origin);
      const outcome = await page.evaluate(async (url): Promise<Outcome> => {
        try {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: 'Bearer a-token', 'x-credit-purpose': 'ADMINISTRATIVE_APPROVAL' },
            body: JSON.stringify({ query: '{ seen { authorization purpose } }' }),
          });
          return { status: res.status, body: await res.json(), requestId: res.headers.get('x-request-id') };
        } catch (error) {
          return { refused: String(error) };
        }
      }, gateway.url);
      expect(requests.elsewhere).toEqual([]);
      return outcome;
    } finally {
      await context.close();
    }
  };

  test('from an allowed origin: the preflight passes, the request runs with its token and purpose, and the page reads the answer and its request id', async () => {
    runs.length = 0;
    const outcome = await callFrom(allowed);
    expect(outcome).toEqual({
      status: 200,
      body: { data: { seen: { authorization: 'Bearer a-token', purpose: 'ADMINISTRATIVE_APPROVAL' } } },
      requestId: expect.stringMatching(/\S/),
    });
    expect(runs).toHaveLength(1);
  });

  test('from another origin: the preflight is refused, the browser sends nothing more, and nothing runs', async () => {
    runs.length = 0;
    expect(await callFrom(other)).toEqual({ refused: expect.stringContaining('Failed to fetch') });
    expect(runs).toEqual([]);
  });
});
