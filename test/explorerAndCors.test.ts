import type { Browser } from 'playwright-core';
import type { RunningSystem } from '../scripts/system.js';
import { backends } from './kit/backends.js';
import { launchChromium, recordProblems, recordRequests } from './kit/chromium.js';
import { startTestSystem } from './kit/system.js';

const PORTAL = 'https://portal.example.gov.cn';
const BROWSER = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
const PUBLIC_QUERY = JSON.stringify({ query: '{ subject(code: "91320583MA1MDEM00H") { name } }' });

/**
 * The gateway as configured (EXPLORER, CORS_ORIGINS): the explorer for a person with a browser, a portal on another
 * origin calling it, and the subgraphs behind it serving neither.
 */
describe('the explorer and cross-origin access, through the gateway', () => {
  let system: RunningSystem;
  let browser: Browser;
  beforeAll(async () => {
    system = await startTestSystem(backends[0]!, { env: { EXPLORER: 'true', CORS_ORIGINS: PORTAL } });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  test('a browser at the gateway gets GraphiQL, which loads from the gateway alone and runs a query', async () => {
    const origin = new URL(system.gatewayUrl).origin;
    const context = await browser.newContext();
    try {
      const requests = await recordRequests(context, [origin]);
      const problems = recordProblems(context);
      const page = await context.newPage();
      expect((await page.goto(system.gatewayUrl))?.status()).toBe(200);
      await page.waitForSelector('.graphiql-container .graphiql-execute-button', { timeout: 60_000 });
      await page.click('.graphiql-execute-button');
      await page.waitForFunction(() => document.querySelector('.result-window')?.textContent?.includes('"__typename"'), undefined, { timeout: 60_000 });
      expect(requests.elsewhere).toEqual([]);
      for (const url of requests.all) expect(new URL(url).origin).toBe(origin);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('the subgraphs serve no explorer', async () => {
    for (const url of Object.values(system.subgraphUrls)) expect((await fetch(url, { headers: BROWSER })).status).toBe(406);
  });

  test('a preflight from the configured portal is answered, one from elsewhere refused', async () => {
    const preflight = (origin: string) =>
      fetch(system.gatewayUrl, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, x-credit-purpose' },
      });
    const allowed = await preflight(PORTAL);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(PORTAL);
    const refused = await preflight('https://elsewhere.example.com');
    expect(refused.status).toBe(403);
    expect(refused.headers.has('access-control-allow-origin')).toBe(false);
  });

  test("the portal's pages may read the gateway's answers, its refusals too (a rejected token), never with credentials", async () => {
    const post = (headers: Record<string, string>) =>
      fetch(system.gatewayUrl, { method: 'POST', headers: { origin: PORTAL, 'content-type': 'application/json', ...headers }, body: PUBLIC_QUERY });
    for (const [answer, status] of [
      [await post({}), 200],
      [await post({ authorization: 'Bearer not-a-token' }), 401],
    ] as const) {
      expect(answer.status).toBe(status);
      expect(answer.headers.get('access-control-allow-origin')).toBe(PORTAL);
      expect(answer.headers.get('access-control-expose-headers')).toBe('x-request-id, retry-after');
      expect(answer.headers.has('access-control-allow-credentials')).toBe(false);
    }
  });
});
