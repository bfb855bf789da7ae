import { randomBytes } from 'node:crypto';
import { showcaseSubject } from '../../lib/demo/dataset.js';
import type { RunningSystem } from '../../scripts/system.js';
import { answerCacheLookupsSoFar as hits } from '../kit/answerCache.js';
import { backends } from '../kit/backends.js';
import { waitFor } from '../kit/events.js';
import { graphql, startTestSystem } from '../kit/system.js';
import { as } from '../kit/tokens.js';

/**
 * A kept answer comes back faster than a fetched one, so the answer cache is a timing oracle unless it is kept per
 * client: shared, one caller could learn from the speed of its answer that another had just read a subject. Kept
 * answers are given again only to the client that received them (the token's system; without a token, the address).
 */
const code = showcaseSubject().code;
const ENTRIES = 'query($c: ID!) { subject(code: $c) { code entries { id kind status } } }';

describe('a kept answer never tells one client what another read', () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startTestSystem(backends[0]!, {
      env: { ANSWER_CACHE_TTL_MS: '60000', TRUSTED_PROXIES: '127.0.0.1', GATEWAY_PROOF_SECRET: randomBytes(32).toString('base64url') },
    });
    // answers stay kept once the seed's events are handled
    const warm = { 'x-forwarded-for': '198.51.100.200' };
    await waitFor("the seed's events handled, so answers stay kept", async () => {
      await read(warm);
      const before = await hits('hit');
      await read(warm);
      return (await hits('hit')) > before;
    });
  }, 120_000);
  afterAll(() => system?.stop());

  const read = (headers: Record<string, string>) => graphql<any>(system.gatewayUrl, ENTRIES, { c: code }, headers);
  /** How many of `requests` were answered from kept answers. */
  const keptAnswersFor = async (requests: () => Promise<unknown>) => {
    const before = await hits('hit');
    await requests();
    return (await hits('hit')) - before;
  };

  test('the public: an answer kept for one address is not given to another; the same address gets it again', async () => {
    const one = { 'x-forwarded-for': '203.0.113.10' };
    const other = { 'x-forwarded-for': '203.0.113.11' };
    const first = await read(one);
    expect(first.errors).toBeUndefined();
    expect(await keptAnswersFor(() => read(other))).toBe(0);
    expect(await keptAnswersFor(() => read(one))).toBe(1);
    expect(await keptAnswersFor(() => read(other))).toBe(1); // its own, kept from its own read
  });

  test('token holders: one system of a department is not answered from another system of the same department and scopes', async () => {
    const token = (clientId: string) => as({ caller: 'department', department: 'STA', clientId, scopes: ['credit:read'] });
    const approvals = await token('sta-approvals');
    expect((await read(approvals)).errors).toBeUndefined();
    expect(await keptAnswersFor(async () => read(await token('sta-inspections')))).toBe(0);
    // another token of the same system is the same client
    expect(await keptAnswersFor(async () => read(await token('sta-approvals')))).toBe(1);
  });

  test("a subject's own reads are never given to another subject, nor to the public", async () => {
    const self = await as({ caller: 'subject', subject: code, scopes: ['credit:read'] });
    expect((await read(self)).errors).toBeUndefined();
    expect(await keptAnswersFor(() => read({ 'x-forwarded-for': '203.0.113.12' }))).toBe(0);
    expect(await keptAnswersFor(() => read(self))).toBe(1);
  });
});
