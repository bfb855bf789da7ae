import { ApolloServer } from '@apollo/server';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, recordProblems, recordRequests } from '../../../test/kit/chromium.js';
import { serve, type Listening } from './serve.js';

interface Seen {
  authorization: string | null;
  purpose: string | null;
}

/**
 * The explorer as a person meets it, in Debian's Chromium (headless): it loads and runs with nothing fetched from
 * anywhere but this server, the token and purpose headers are there to fill in, and none of them is kept.
 */
describe('the explorer in a browser', () => {
  const apollo = new ApolloServer<Seen>({
    typeDefs: 'type Query { seen: Seen } type Seen { authorization: String purpose: String }',
    resolvers: { Query: { seen: (_: unknown, __: unknown, context: Seen) => context } },
  });
  let browser: Browser;
  const listening: Listening[] = [];
  const start = async (explorer: boolean) => {
    const server = await serve(apollo, {
      service: 'test',
      port: 0,
      host: '127.0.0.1',
      explorer,
      context: async ({ req }) => ({ authorization: req.headers.authorization ?? null, purpose: (req.headers['x-credit-purpose'] as string) ?? null }),
    });
    listening.push(server);
    return server;
  };
  beforeAll(async () => {
    await apollo.start();
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    for (const server of listening) await server.close();
    await apollo.stop();
  });

  /** The text of one of GraphiQL's CodeMirror editors. */
  const editor = (page: Page, selector: string) =>
    page.evaluate((s) => (document.querySelector(`${s} .CodeMirror`) as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue(), selector);
  const HEADERS = '.graphiql-editor-tool .graphiql-editor:not(.hidden)';
  /** Runs the query in the editor and returns the answer the page shows once it holds `expected`. */
  const run = async (page: Page, expected: string) => {
    await page.click('.graphiql-execute-button');
    await page.waitForFunction((text) => document.querySelector('.result-window')?.textContent?.includes(text), expected, { timeout: 60_000 });
    return JSON.parse(await editor(page, '.result-window')) as { data: { seen: Seen } };
  };

  test('GraphiQL loads from this server alone, runs a query, and sends the token and purpose only once they are filled in', async () => {
    const server = await start(true);
    const origin = new URL(server.url).origin;
    const context = await browser.newContext();
    try {
      const requests = await recordRequests(context, [origin]);
      const problems = recordProblems(context);
      const page = await context.newPage();
      // the address a person types: /graphql itself, here with a query to start from
      const opened = await page.goto(`${server.url}?query=${encodeURIComponent('{ seen { authorization purpose } }')}`);
      expect(opened?.status()).toBe(200);
      await page.waitForSelector('.graphiql-container .graphiql-execute-button', { timeout: 60_000 });

      // the headers editor is open, with the template to fill in
      const template = JSON.parse(await editor(page, HEADERS)) as Record<string, string>;
      expect(Object.keys(template)).toEqual(['Authorization', 'X-Credit-Purpose']);
      expect(template.Authorization).toMatch(/^Bearer /);

      // left as it is, the template sends nothing: the public view
      expect((await run(page, '"seen"')).data.seen).toEqual({ authorization: null, purpose: null });

      // filled in, both travel with the query
      await page.evaluate(
        ([s, text]) => (document.querySelector(`${s} .CodeMirror`) as unknown as { CodeMirror: { setValue(v: string): void } }).CodeMirror.setValue(text!),
        [HEADERS, JSON.stringify({ Authorization: 'Bearer a-secret-token', 'X-Credit-Purpose': 'ADMINISTRATIVE_APPROVAL' })],
      );
      expect((await run(page, 'a-secret-token')).data.seen).toEqual({ authorization: 'Bearer a-secret-token', purpose: 'ADMINISTRATIVE_APPROVAL' });

      // the documentation (from introspection) and the settings dialog open under the page's policy too
      await page.click('[aria-label="Show Documentation Explorer"]');
      await page.waitForSelector('.graphiql-doc-explorer-title', { timeout: 60_000 });
      await page.click('[aria-label="Open settings dialog"]');
      await page.waitForSelector('.graphiql-dialog', { timeout: 60_000 });

      // the token is kept nowhere the next person at this browser could read it; a reload shows the blank template again
      expect(await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))).not.toContain('a-secret-token');
      await page.reload();
      await page.waitForSelector('.graphiql-container .graphiql-execute-button', { timeout: 60_000 });
      expect(JSON.parse(await editor(page, HEADERS))).toEqual(template);
      expect(requests.elsewhere).toEqual([]);
      expect(requests.all.length).toBeGreaterThan(5);
      for (const url of requests.all) expect(new URL(url).origin).toBe(origin);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('with the explorer off, a browser at /graphql gets a page saying so, which loads nothing', async () => {
    const server = await start(false);
    const origin = new URL(server.url).origin;
    const context = await browser.newContext();
    try {
      const requests = await recordRequests(context, [origin]);
      const page = await context.newPage();
      const opened = await page.goto(server.url);
      expect(opened?.status()).toBe(406);
      await expect(page.textContent('body')).resolves.toContain('No explorer is served here');
      await page.waitForLoadState('load');
      expect(requests.elsewhere).toEqual([]);
      for (const url of requests.all) expect(new URL(url).origin).toBe(origin);
    } finally {
      await context.close();
    }
  });
});
