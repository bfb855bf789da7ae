/**
 * A6, A3: what the public may not see of a person cannot be learned by asking whether the person exists. A natural
 * person with nothing public answers, to every caller who sees only the public part, exactly as a code nobody
 * registered; and resident ID numbers can be tried only a few at a time, so a masked ID cannot be completed.
 */
import { isPublicEntry } from '../../lib/contracts/access.js';
import { demoDataset } from '../../lib/demo/dataset.js';
import { residentIdCheckChar } from '../../lib/domain/identifiers/index.js';
import type { RunningSystem } from '../../scripts/system.js';
import { backends } from '../kit/backends.js';
import { candidatesFor } from '../kit/codes.js';
import { graphql, startTestSystem } from '../kit/system.js';
import { as } from '../kit/tokens.js';

const data = demoDataset();
const people = data.subjects.filter((s) => s.kind === 'PERSON');
const entriesOf = (code: string) => data.entries.filter((e) => e.subjectCode === code);
const hasPublic = (code: string) => entriesOf(code).some(isPublicEntry);

/** People with nothing public, of each kind the rules make: no entries; unpublished focus only; exited entries. */
const hidden = {
  'no entries': people.find((p) => entriesOf(p.code).length === 0)!,
  'only an unpublished focus entry': people.find((p) => entriesOf(p.code).length > 0 && entriesOf(p.code).every((e) => e.kind === 'FOCUS' && !e.published))!,
  'only exited entries': people.find((p) => entriesOf(p.code).length > 0 && !hasPublic(p.code) && entriesOf(p.code).some((e) => e.status === 'EXITED')),
};
const listed = people.find((p) => entriesOf(p.code).some((e) => e.kind === 'BLACK' && isPublicEntry(e)))!;

/** A well-formed resident ID number nobody registered. */
function unknownPerson(n = 0): string {
  for (let seq = 900 + n; ; seq++) {
    const first17 = `110105198001${String(10 + (seq % 18)).padStart(2, '0')}${String(seq % 1000).padStart(3, '0')}`;
    const code = first17 + residentIdCheckChar(first17);
    if (!data.subjects.some((s) => s.code === code)) return code;
  }
}

type Caller = 'anonymous' | 'portal' | 'bank' | 'subject';
const CALLERS: Caller[] = ['anonymous', 'portal', 'bank', 'subject'];
let clients = 0;
/** Each test is its own client (a forwarded address from the trusted proxy, or a token's client), with its own budget. */
async function headersOf(caller: Caller): Promise<Record<string, string>> {
  const clientId = `existence-${++clients}`;
  switch (caller) {
    case 'anonymous':
      return { 'x-forwarded-for': `198.51.100.${clients % 250}` };
    case 'portal':
      return as({ caller: 'portal', clientId, scopes: ['credit:read', 'check:run'] });
    case 'bank':
      return as({ caller: 'bank', clientId, scopes: ['credit:read', 'check:run', 'list:RED', 'list:BLACK', 'list:FOCUS', 'list:WARNING'] });
    case 'subject':
      return as({ caller: 'subject', clientId, subject: listed.code, scopes: ['credit:read', 'check:run'] });
  }
}

const LOOKUPS = {
  subject: 'query($c: ID!) { subject(code: $c) { code kind name region entries { kind status } } }',
  subjects: 'query($c: ID!) { subjects(codes: [$c]) { code kind name } }',
  'searchSubjects by code': 'query($c: String!) { searchSubjects(text: $c) { code kind name } }',
  creditCheck: 'query($c: ID!) { creditCheck(code: $c, scenario: FINANCING) { code verdict measures { code } entries { kind } } }',
};

describe.each(backends)('A6: no existence oracle for people ($name)', (backend) => {
  let system: RunningSystem;
  beforeAll(async () => {
    // the test client reaches the gateway from 127.0.0.1: as a trusted proxy, it names a client per test
    system = await startTestSystem(backend, { env: { TRUSTED_PROXIES: '127.0.0.1', PERSON_LOOKUPS_PER_MINUTE: '30' } });
  }, 120_000);
  afterAll(() => system?.stop());

  const ask = (query: string, variables: Record<string, unknown>, headers: Record<string, string>) =>
    graphql<any>(system.gatewayUrl, query, variables, headers);

  /** The answer about `code`, with the code itself (echoed by a credit check) taken out, and what listings spent on it. */
  const answerAbout = async (query: string, code: string, headers: Record<string, string>) => {
    const before = system.databases.listings.statementCount;
    const res = await ask(query, { c: code }, headers);
    return {
      status: res.status,
      body: JSON.stringify({ data: res.data, errors: res.errors, extensions: res.extensions }).replaceAll(code, '<code>'),
      statements: system.databases.listings.statementCount - before,
    };
  };

  test('the demonstration data holds people with nothing public of each kind, and a listed one', () => {
    expect(hidden['no entries']).toBeDefined();
    expect(hidden['only an unpublished focus entry']).toBeDefined();
    expect(listed).toBeDefined();
  });

  describe.each(CALLERS)('to a caller who sees the public part (%s)', (caller) => {
    test.each(Object.entries(hidden).filter(([, p]) => p !== undefined))('a person with %s answers every lookup as an unknown code does', async (_, person) => {
      for (const [name, query] of Object.entries(LOOKUPS)) {
        const headers = await headersOf(caller);
        const unknown = await answerAbout(query, unknownPerson(), headers);
        const known = await answerAbout(query, person!.code, headers);
        expect({ lookup: name, ...known }).toEqual({ lookup: name, ...unknown });
      }
    });

    test("a search by a hidden person's full name finds only what the caller may see", async () => {
      for (const person of Object.values(hidden)) {
        if (!person) continue;
        const res = await ask('query($t: String!) { searchSubjects(text: $t, first: 100) { kind name } }', { t: person.name }, await headersOf(caller));
        const shown = data.subjects.filter((s) => s.name.includes(person.name) && (s.kind === 'ORGANISATION' || hasPublic(s.code)));
        expect(res.data.searchSubjects).toHaveLength(shown.length);
      }
    });
  });

  test('a person with public entries is found, masked; a department sees every person; a person sees itself', async () => {
    const res = await ask(LOOKUPS.subject, { c: listed.code }, await headersOf('anonymous'));
    expect(res.data.subject).toMatchObject({ kind: 'PERSON', code: expect.stringMatching(/^\d{6}\*{8}[\dX]{4}$/) });
    const department = await as({ caller: 'department', department: 'NDRC', scopes: ['credit:read'] });
    const unlisted = hidden['no entries'];
    expect((await ask(LOOKUPS.subject, { c: unlisted.code }, department)).data.subject).toMatchObject({ kind: 'PERSON' });
    const itself = await as({ caller: 'subject', subject: unlisted.code, scopes: ['credit:read'] });
    expect((await ask(LOOKUPS.subject, { c: unlisted.code }, itself)).data.subject).toMatchObject({ code: unlisted.code });
  });

  describe('person codes are looked up a few at a time', () => {
    test('more than 5 resident ID numbers in one request are refused before anything runs (TOO_MANY_PERSON_CODES, HTTP 400)', async () => {
      const codes = [listed.code, ...Array.from({ length: 5 }, (_, i) => unknownPerson(i))];
      const before = system.databases.listings.statementCount;
      // in one list, spread over aliases, or hidden in a search text: every ID number in the operation counts
      const spread = `{ a: subjects(codes: ["${codes[0]}", "${codes[1]}"]) { name } b: subjects(codes: ["${codes[2]}", "${codes[3]}"]) { name } c: subject(code: "${codes[4]}") { name } d: creditCheck(code: "${codes[5]}", scenario: BIDDING) @skip(if: true) { verdict } }`;
      for (const [query, variables] of [
        ['query($c: [ID!]!) { subjects(codes: $c) { name } }', { c: codes }],
        [spread, {}],
        [`query($t: [ID!]!) { s: searchSubjects(text: "${codes[0]!.toLowerCase()}") { name } t: subjects(codes: $t) { name } }`, { t: codes.slice(1) }],
      ] as const) {
        const res = await ask(query, variables, await headersOf('anonymous'));
        expect(res).toMatchObject({ status: 400, errors: [{ extensions: { code: 'TOO_MANY_PERSON_CODES', limit: 5 } }] });
        expect(res.data).toBeUndefined();
      }
      expect(system.databases.listings.statementCount).toBe(before);
    });

    test('30 per minute from one client address, then RATE_LIMITED (HTTP 429, Retry-After); organisations are not counted', async () => {
      const headers = await headersOf('anonymous');
      for (let i = 0; i < 6; i++) {
        const codes = Array.from({ length: 5 }, (_, k) => unknownPerson(100 + i * 5 + k));
        const res = await ask('query($c: [ID!]!) { subjects(codes: $c) { name } }', { c: codes }, headers);
        expect(res.status).toBe(200);
      }
      const refused = await fetch(system.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: 'query($c: ID!) { subject(code: $c) { name } }', variables: { c: listed.code } }),
      });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await refused.json()) as any).errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 30 });
      // the same client still reads organisations, as many as it likes
      const organisations = data.subjects
        .filter((s) => s.kind === 'ORGANISATION')
        .slice(0, 20)
        .map((s) => s.code);
      const orgs = await ask('query($c: [ID!]!) { subjects(codes: $c) { name } }', { c: organisations }, headers);
      expect(orgs.status).toBe(200);
      expect(orgs.data.subjects.filter(Boolean)).toHaveLength(20);
      // another client is not affected; a token client is counted by its client id, not its address
      expect((await ask(LOOKUPS.subject, { c: listed.code }, await headersOf('anonymous'))).status).toBe(200);
      expect((await ask(LOOKUPS.subject, { c: listed.code }, await headersOf('portal'))).status).toBe(200);
    });

    test('a masked ID number cannot be completed: its candidates take more than an hour at the limit', async () => {
      // what the portal shows of a listed person: the first 6 and last 4 characters
      const masked = (await ask(LOOKUPS.subject, { c: listed.code }, await headersOf('anonymous'))).data.subject.code as string;
      const candidates = candidatesFor(masked);
      expect(candidates).toContain(listed.code);
      expect(candidates.length).toBeGreaterThan(1000);
      // the attacker's loop: five at a time, in order, from one address, until refused
      const headers = await headersOf('anonymous');
      let tried = 0;
      for (let i = 0; i < candidates.length; i += 5) {
        const res = await ask('query($c: [ID!]!) { subjects(codes: $c) { code } }', { c: candidates.slice(i, i + 5) }, headers);
        if (res.status === 429) break;
        tried += 5;
      }
      expect(tried).toBe(30);
      expect(candidates.length / 30).toBeGreaterThan(60); // minutes
    });
  });
});
