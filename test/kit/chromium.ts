import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** Debian's Chromium: `.ci/run` installs it; playwright-core drives it and downloads no browser of its own. */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless Chromium; a clear failure, never a skip, when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium), as .ci/run does`);
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], timeout: 60_000 });
}

/**
 * Every request the pages of `context` make, and those to anywhere but `origins` (a data: URL never leaves the page).
 * With `guard` (the default) such a request is also aborted, so a failing test still sends nothing off the machine;
 * a test of CORS goes without it, since Playwright answers the preflights of the requests it intercepts itself.
 */
export async function recordRequests(context: BrowserContext, origins: string[], { guard = true } = {}): Promise<{ all: string[]; elsewhere: string[] }> {
  const seen = { all: [] as string[], elsewhere: [] as string[] };
  const local = (url: string) => url.startsWith('data:') || origins.includes(new URL(url).origin);
  context.on('request', (request) => {
    seen.all.push(request.url());
    if (!guard && !local(request.url())) seen.elsewhere.push(request.url());
  });
  if (guard) {
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (local(url)) return route.continue();
      seen.elsewhere.push(url);
      return route.abort('blockedbyclient');
    });
  }
  return seen;
}

/** What a page reported going wrong: script errors, and console errors (a Content-Security-Policy refusal among them). */
export function recordProblems(context: BrowserContext): string[] {
  const problems: string[] = [];
  context.on('weberror', (error) => problems.push(`error: ${error.error().message}`));
  context.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  return problems;
}
