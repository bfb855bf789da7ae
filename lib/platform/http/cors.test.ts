import { ApolloServer } from '@apollo/server';
import { serve, type Listening } from './serve.js';

const PORTAL = 'https://portal.example.gov.cn';
const STRANGER = 'https://elsewhere.example.com';

/** The response's headers, as a plain object; `accessControl`: the names of its Access-Control-* headers. */
const headersOf = (res: Response) => Object.fromEntries(res.headers);
const accessControl = (res: Response) => [...res.headers.keys()].filter((h) => h.startsWith('access-control-'));

const preflight = (url: string, origin: string) =>
  fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, x-credit-purpose' },
  });
const post = (url: string, origin: string) =>
  fetch(url, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json', authorization: 'Bearer a-token' },
    body: JSON.stringify({ query: '{ hello }' }),
  });

/** Cross-origin access: an allowlist of origins, credentials never, a preflight answered before anything runs. */
describe('CORS', () => {
  let runs = 0;
  const apollo = new ApolloServer({ typeDefs: 'type Query { hello: String }', resolvers: { Query: { hello: () => (runs++, 'world') } } });
  let allowing: Listening;
  let closed: Listening;
  beforeAll(async () => {
    await apollo.start();
    allowing = await serve(apollo, { service: 'test', port: 0, context: async () => ({}), cors: { origins: new Set([PORTAL]) } });
    closed = await serve(apollo, { service: 'test', port: 0, context: async () => ({}) });
  });
  afterAll(async () => {
    await allowing.close();
    await closed.close();
    await apollo.stop();
  });

  test('a preflight from an allowed origin is answered 204 with what that origin may send and for how long', async () => {
    const answer = await preflight(allowing.url, PORTAL);
    expect(answer.status).toBe(204);
    expect(headersOf(answer)).toMatchObject({
      'access-control-allow-origin': PORTAL,
      'access-control-allow-methods': 'GET, POST',
      'access-control-max-age': '600',
      vary: 'Origin',
    });
    const allowed = answer.headers.get('access-control-allow-headers')!.split(', ');
    expect(allowed).toEqual(expect.arrayContaining(['content-type', 'authorization', 'x-credit-purpose', 'x-request-id', 'apollo-require-preflight']));
    expect(answer.headers.has('access-control-allow-credentials')).toBe(false);
  });

  test('a preflight from any other origin, or where none is allowed, is refused with 403 and runs nothing', async () => {
    const before = runs;
    for (const [url, origin] of [
      [allowing.url, STRANGER],
      [allowing.url, 'null'],
      [closed.url, PORTAL],
    ] as const) {
      const answer = await preflight(url, origin);
      expect(answer.status).toBe(403);
      expect(accessControl(answer)).toEqual([]);
    }
    expect(runs).toBe(before);
  });

  test("an allowed origin's requests may be read by its pages, with the request id and Retry-After; credentials never", async () => {
    const answer = await post(allowing.url, PORTAL);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ data: { hello: 'world' } });
    expect(headersOf(answer)).toMatchObject({
      'access-control-allow-origin': PORTAL,
      'access-control-expose-headers': 'x-request-id, retry-after',
      vary: 'Origin',
    });
    expect(answer.headers.has('access-control-allow-credentials')).toBe(false);
  });

  test("another origin's request gets no Access-Control header (its page cannot read the answer), and same-origin pages are not refused", async () => {
    for (const url of [allowing.url, closed.url]) {
      const answer = await post(url, STRANGER);
      expect(answer.status).toBe(200);
      expect(accessControl(answer)).toEqual([]);
    }
    // a browser sends Origin on a same-origin POST too (the explorer's own)
    const own = await post(closed.url, new URL(closed.url).origin);
    expect(await own.json()).toEqual({ data: { hello: 'world' } });
  });

  test("Apollo's CSRF prevention stays: a simple cross-origin GET, with no header forcing a preflight, is refused even from an allowed origin", async () => {
    const before = runs;
    const url = `${allowing.url}?query=${encodeURIComponent('{ hello }')}`;
    const simple = await fetch(url, { headers: { origin: PORTAL } });
    expect(simple.status).toBe(400);
    expect(await simple.text()).toContain('CSRF');
    expect(runs).toBe(before);
    // with the header that forces a preflight it runs
    const forced = await fetch(url, { headers: { origin: PORTAL, 'apollo-require-preflight': 'true' } });
    expect(await forced.json()).toEqual({ data: { hello: 'world' } });
  });
});
