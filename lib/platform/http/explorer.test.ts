import { ApolloServer } from '@apollo/server';
import { EXPLORER_CSP } from './explorerPage.js';
import { offline } from './explorerAssets.js';
import { serve, type Listening } from './serve.js';

/** What a browser sends when a person opens the address. */
const BROWSER = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8' };
/** Any address outside this server: `http://`, `https://`, or scheme-relative `//`. */
const ELSEWHERE = /(?:https?:)?\/\/[a-z0-9]/i;

/** The browser's side of `/graphql`, over HTTP: the explorer's page and files, or a page saying there is none. */
describe('the explorer over HTTP', () => {
  const apollo = new ApolloServer({ typeDefs: 'type Query { hello: String }', resolvers: { Query: { hello: () => 'world' } } });
  const listening: Listening[] = [];
  const start = async (explorer?: boolean) => {
    const server = await serve(apollo, { service: 'test', port: 0, context: async () => ({}), ...(explorer === undefined ? {} : { explorer }) });
    listening.push(server);
    return { graphql: server.url, at: (path: string) => new URL(path, server.url).toString() };
  };
  beforeAll(() => apollo.start());
  afterAll(async () => {
    for (const server of listening) await server.close();
    await apollo.stop();
  });

  test('on: a browser at /graphql (and at /explorer) gets GraphiQL, whose page names only its own files and may load nothing else', async () => {
    const server = await start(true);
    for (const url of [server.graphql, server.at('/explorer')]) {
      const page = await fetch(url, { headers: BROWSER });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('content-security-policy')).toBe(EXPLORER_CSP);
      expect(page.headers.get('cache-control')).toBe('no-store');
      const html = await page.text();
      expect(html).not.toMatch(ELSEWHERE);
      const files = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((f) => f !== 'data:,');
      expect(files).toHaveLength(6);
      for (const file of files) expect(file).toMatch(/^\.\/explorer\/assets\/[0-9a-f]{16}\/[\w.-]+\.(?:js|css)$/);
    }
    expect(EXPLORER_CSP).toContain("default-src 'none'");
    expect(EXPLORER_CSP).toContain("script-src 'self';");
    expect(EXPLORER_CSP).toContain("connect-src 'self';");
  });

  test("the explorer's files: their types, cached for a year, compressed when asked, with nothing fetched from elsewhere", async () => {
    const server = await start(true);
    const html = await (await fetch(server.graphql, { headers: BROWSER })).text();
    const files = [...html.matchAll(/(?:src|href)="\.([^"]+)"/g)].map((m) => m[1]!);
    for (const file of files) {
      const plain = await fetch(server.at(file), { headers: { 'accept-encoding': 'identity' } });
      expect(plain.status).toBe(200);
      expect(plain.headers.get('content-type')).toBe(file.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8');
      expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(plain.headers.get('x-content-type-options')).toBe('nosniff');
      const text = await plain.text();
      expect(text).not.toContain('sourceMappingURL');
      if (file.endsWith('.css')) {
        expect(text).not.toMatch(/@import/i);
        expect(text).not.toMatch(/url\(\s*['"]?(?:https?:)?\/\//i);
      }
      // fetch decompresses: the same text, sent compressed
      const compressed = await fetch(server.at(file), { headers: { 'accept-encoding': 'gzip' } });
      expect(compressed.headers.get('content-encoding')).toBe('gzip');
      expect(await compressed.text()).toBe(text);
    }
    expect((await fetch(server.at('/explorer/assets/0000000000000000/graphiql.js'))).status).toBe(404);
  });

  test('on or off, GraphQL itself is unchanged: a POST, and a GET that asks for JSON', async () => {
    for (const explorer of [true, false]) {
      const server = await start(explorer);
      const post = await fetch(server.graphql, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ hello }"}' });
      expect(await post.json()).toEqual({ data: { hello: 'world' } });
      const get = await fetch(`${server.graphql}?query=${encodeURIComponent('{ hello }')}`, {
        headers: { accept: 'application/graphql-response+json, application/json', 'apollo-require-preflight': 'true' },
      });
      expect(await get.json()).toEqual({ data: { hello: 'world' } });
    }
  });

  test("off (and by default, as on a subgraph): a browser gets a 406 page that loads nothing, never Apollo's landing page", async () => {
    for (const server of [await start(false), await start()]) {
      const page = await fetch(server.graphql, { headers: BROWSER });
      expect(page.status).toBe(406);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
      const html = await page.text();
      expect(html).toContain('No explorer is served here');
      expect(html).not.toMatch(ELSEWHERE);
      expect(html).not.toMatch(/apollo|<script/i);
      expect((await fetch(server.at('/explorer'), { headers: BROWSER })).status).toBe(404);
    }
  });

  test('a stylesheet is served without what it would fetch from elsewhere', () => {
    const css = [
      "@import url('https://fonts.googleapis.com/css2?family=Roboto');",
      '@import "//cdn.example/x.css";',
      '.a { background: url(https://cdn.example/a.png) }',
      ".b { src: url('data:font/woff2;base64,AAAA') }",
      '.c { background: url(./local.png) }',
    ].join('\n');
    expect(offline(css)).toBe(
      ['', '', '.a { background: none }', ".b { src: url('data:font/woff2;base64,AAAA') }", '.c { background: url(./local.png) }'].join('\n'),
    );
  });
});
