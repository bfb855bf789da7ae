import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { creditCodeCheckChar } from '../lib/domain/identifiers/index.js';
import { PROOF_HEADER, proofKeys } from '../lib/platform/auth/gatewayProof.js';
import { answerCacheInvalidationLag } from '../lib/platform/observe/metrics.js';
import { showcaseSubject } from '../lib/demo/dataset.js';
import type { RunningSystem } from '../scripts/system.js';
import { answerCacheLookupsSoFar } from './kit/answerCache.js';
import { callerOf } from './kit/callers.js';
import { waitFor } from './kit/events.js';
import { graphql, startTestSystem } from './kit/system.js';
import { as, fullReader } from './kit/tokens.js';

/**
 * The gateway's answer cache (gateway/pipeline/answerFromCache.ts): an answer is given again only to a caller the
 * policy treats alike, never one that records or reveals personal data in full, and never after an event that may
 * change it has been handled.
 */
const SECRET = 'answer-cache-test-proof-secret-of-32+chars';
const PREFIX = `credit-graph:t_answers_${randomBytes(4).toString('hex')}:`;
const ENTRIES = 'query($c: ID!) { subject(code: $c) { code entries { id kind status } } }';
const PERSON = 'query($c: ID!) { subject(code: $c) { code legalRepresentative { name idNumber } } }';
// a tax black entry restricts public procurement (the catalogue's TAX-B measures)
const CHECK = 'query($c: ID!) { creditCheck(code: $c, scenario: PROCUREMENT) { code verdict } }';

const stores = [{ name: 'in process' }, ...(process.env.REDIS_URL ? [{ name: 'Redis', redisUrl: process.env.REDIS_URL }] : [])];

const lookups = answerCacheLookupsSoFar;
const invalidations = async () => (await answerCacheInvalidationLag.get()).values.find((v) => v.metricName?.endsWith('_count'))?.value ?? 0;

describe.each(stores)('the answer cache ($name)', (store) => {
  let system: RunningSystem;
  let sta: Record<string, string>;
  const showcase = showcaseSubject();
  beforeAll(async () => {
    system = await startTestSystem(
      { name: 'pglite' },
      {
        env: {
          ANSWER_CACHE_TTL_MS: '60000',
          GATEWAY_PROOF_SECRET: SECRET,
          EVENTS_PREFIX: PREFIX,
          ...(store.redisUrl ? { REDIS_URL: store.redisUrl } : {}),
        },
      },
    );
    sta = await as({ caller: 'department', department: 'STA', scopes: ['credit:read', 'check:run'] });
    // the seed's events reach the cache's group after start (on Redis, from the stream's beginning): once they are
    // handled, an answer stays kept
    await waitFor("the seed's events handled, so answers stay kept", async () => {
      await read(ENTRIES, sta);
      const hits = await lookups('hit');
      await read(ENTRIES, sta);
      return (await lookups('hit')) > hits;
    });
  }, 120_000);
  afterAll(async () => {
    await system?.stop();
    if (store.redisUrl) {
      const redis = new Redis(store.redisUrl);
      const keys = await redis.keys(`${PREFIX}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
  });

  const read = (query: string, headers: Record<string, string> = {}, code = showcase.code) => graphql<any>(system.gatewayUrl, query, { c: code }, headers);

  test('the same query by callers the policy treats alike is answered again without the subgraphs, identically', async () => {
    const first = await read(ENTRIES, sta);
    expect(first.errors).toBeUndefined();
    const hits = await lookups('hit');
    // another token of the same department and scopes: the token's id is not part of the answer
    const again = await read(ENTRIES, await as({ caller: 'department', department: 'STA', scopes: ['check:run', 'credit:read'] }));
    expect(await lookups('hit')).toBe(hits + 1);
    expect(again.data).toEqual(first.data);
  });

  test('callers whose answers differ never share one: the public never gets a department answer, nor one department another', async () => {
    const department = await read(ENTRIES, sta);
    const anonymous = await read(ENTRIES);
    const hitsBefore = await lookups('hit');
    const otherDepartment = await read(ENTRIES, await as({ caller: 'department', department: 'MOF', scopes: ['credit:read', 'check:run'] }));
    const otherScopes = await read(ENTRIES, await as({ caller: 'department', department: 'STA', scopes: ['credit:read'] }));
    expect(await lookups('hit')).toBe(hitsBefore); // neither was answered from the others' answers
    expect(otherDepartment.errors).toBeUndefined();
    expect(otherScopes.errors).toBeUndefined();
    // the public sees only published entries; what it saw is what an uncached public read shows
    expect(department.data.subject.entries.length).toBeGreaterThanOrEqual((anonymous.data.subject?.entries ?? []).length);
  });

  test('personal data shown in full is never kept, and each such read is recorded (A2)', async () => {
    const reader = await fullReader('STA');
    const records = async () => (await system.queryLog.forSubject(showcase.code, 1000)).length;
    const before = await records();
    const hits = await lookups('hit');
    const one = await read(PERSON, reader);
    const two = await read(PERSON, reader);
    expect(one.data.subject.legalRepresentative.idNumber).toBe(showcase.legalRepresentative!.idNumber);
    expect(two.data).toEqual(one.data);
    expect(await lookups('hit')).toBe(hits);
    expect(await records()).toBe(before + 2);
    if (store.redisUrl) {
      const redis = new Redis(store.redisUrl);
      const keys = await redis.keys(`${PREFIX}answers:*`);
      const kept = keys.length > 0 ? await redis.mget(...keys) : [];
      redis.disconnect();
      expect(kept.join('\n')).not.toContain(showcase.legalRepresentative!.idNumber);
    }
  });

  test("a market partner's query is never answered from the cache: every one is recorded (A4, A5)", async () => {
    const bank = await as({ caller: 'bank', scopes: ['credit:read', 'list:black'] });
    const records = async () => (await system.queryLog.forSubject(showcase.code, 1000)).filter((r) => r.callerKind === 'bank').length;
    const before = await records();
    const hits = await lookups('hit');
    await read(ENTRIES, bank);
    await read(ENTRIES, bank);
    expect(await lookups('hit')).toBe(hits);
    expect(await records()).toBe(before + 2);
  });

  test('a credit check is never answered from the cache: two identical checks are two records (E4)', async () => {
    const count = async () =>
      (await system.databases.enforcement.query<{ n: number }>('SELECT count(*)::int AS n FROM credit_checks WHERE subject_code = $1', [showcase.code]))[0]!.n;
    const before = await count();
    await read(CHECK, sta);
    await read(CHECK, sta);
    expect(await count()).toBe(before + 2);
  });

  test('a black listing written past the gateway is seen by the first file read and the first check after its event is handled', async () => {
    const first17 = `91110108MA${randomBytes(3).toString('hex').toUpperCase()}1`;
    const code = (first17 + creditCodeCheckChar(first17)).slice(0, 18);
    const writer = callerOf('department', { department: 'STA', scopes: ['listing:write', 'credit:read'] });
    const keys = proofKeys(SECRET);
    // straight to the listings subgraph, as another gateway instance would: this gateway learns of it only by the event
    const write = async (query: string, variables: Record<string, unknown>) => {
      const response = await fetch(system.subgraphUrls.listings, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [PROOF_HEADER]: keys.sign(writer, { audience: 'listings', query, variables }) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { errors?: unknown };
      expect(body.errors).toBeUndefined();
    };
    await write('mutation($c: ID!) { registerSubject(input: { code: $c, kind: ORGANISATION, name: "缓存测试有限公司" }) { code } }', { c: code });
    await waitFor('the subject registered', async () => (await read(ENTRIES, sta, code)).data.subject !== null);

    const before = await read(ENTRIES, sta, code);
    expect(before.data.subject.entries).toEqual([]);
    const hits = await lookups('hit');
    expect((await read(ENTRIES, sta, code)).data).toEqual(before.data);
    expect(await lookups('hit')).toBe(hits + 1); // kept

    expect((await read(CHECK, sta, code)).data.creditCheck.verdict).toBe('CLEAR');
    const handled = await invalidations();
    await write('mutation($i: DetermineEntryInput!) { determineEntry(input: $i) { id } }', {
      i: { code, kind: 'BLACK', field: 'TAX', facts: '事实', authority: 'STA', basis: '依据', determinedOn: '2026-03-02', validUntil: '2029-03-02' },
    });
    await waitFor("the listing's event handled", async () => (await invalidations()) > handled);
    const after = await read(ENTRIES, sta, code);
    expect(after.data.subject.entries).toEqual([expect.objectContaining({ kind: 'BLACK', status: 'EFFECTIVE' })]);
    // the check is answered by enforcement from what listings' events told it: once it has handled the event too
    const inForce = async () =>
      (await system.databases.enforcement.query<{ n: number }>('SELECT count(*)::int AS n FROM entries_in_force WHERE subject_code = $1', [code]))[0]!.n;
    await waitFor('enforcement told of the entry', async () => (await inForce()) > 0);
    expect((await read(CHECK, sta, code)).data.creditCheck.verdict).toBe('RESTRICTED');
  });

  test('a mutation through the gateway ends the kept answers at once (a caller reads its own write)', async () => {
    const writer = await as({ caller: 'department', department: 'STA', scopes: ['listing:write', 'credit:read'] });
    const first17 = `91110108MA${randomBytes(3).toString('hex').toUpperCase()}2`;
    const code = (first17 + creditCodeCheckChar(first17)).slice(0, 18);
    const registered = await graphql<any>(
      system.gatewayUrl,
      'mutation($c: ID!) { registerSubject(input: { code: $c, kind: ORGANISATION, name: "缓存测试二有限公司" }) { code } }',
      { c: code },
      writer,
    );
    expect(registered.errors).toBeUndefined();
    expect((await read(ENTRIES, writer, code)).data.subject.entries).toEqual([]);
    const determined = await graphql<any>(
      system.gatewayUrl,
      'mutation($i: DetermineEntryInput!) { determineEntry(input: $i) { id } }',
      { i: { code, kind: 'BLACK', field: 'TAX', facts: '事实', authority: 'STA', basis: '依据', determinedOn: '2026-03-02', validUntil: '2029-03-02' } },
      writer,
    );
    expect(determined.errors).toBeUndefined();
    expect((await read(ENTRIES, writer, code)).data.subject.entries).toEqual([expect.objectContaining({ kind: 'BLACK' })]);
  });
});
