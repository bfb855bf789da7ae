/**
 * Refused means not run: a root field the caller may not use refuses the whole operation before anything reaches a
 * subgraph, for queries as for mutations, so nothing is executed, recorded or written. And beyond the public part
 * needs credit:read, whatever the caller kind (contract.md).
 */
import { isPublicEntry } from '../../lib/contracts/access.js';
import { demoDataset, showcaseSubject } from '../../lib/demo/dataset.js';
import type { RunningSystem } from '../../scripts/system.js';
import { backends } from '../kit/backends.js';
import { freshCreditCode } from '../kit/codes.js';
import { graphql, startTestSystem } from '../kit/system.js';
import { as } from '../kit/tokens.js';

const data = demoDataset();
const organisations = data.subjects.filter((s) => s.kind === 'ORGANISATION').map((s) => s.code);

describe.each(backends)('refused before anything runs ($name)', (backend) => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startTestSystem(backend);
  }, 120_000);
  afterAll(() => system?.stop());

  const ask = (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    graphql<any>(system.gatewayUrl, query, variables, headers);
  const statements = () => Object.values(system.databases).reduce((n, db) => n + db.statementCount, 0);
  const checksRecorded = async () => (await system.databases.enforcement.query<{ n: number }>('SELECT count(*)::int AS n FROM credit_checks'))[0]!.n;

  test('an anonymous creditChecks is refused before it runs (FORBIDDEN, HTTP 403; 1,000 codes are too large a body first): no check is recorded', async () => {
    const recorded = await checksRecorded();
    for (const [size, status, code] of [
      [20, 403, 'FORBIDDEN'],
      [1000, 413, 'PAYLOAD_TOO_LARGE'],
    ] as const) {
      const codes = Array.from({ length: size }, (_, i) => organisations[i % organisations.length]!);
      const before = statements();
      const res = await ask('query($c: [ID!]!) { creditChecks(codes: $c, scenario: BIDDING) { verdict } }', { c: codes });
      expect({ size, status: res.status, code: res.errors?.[0]?.extensions?.code }).toEqual({ size, status, code });
      expect(res.data).toBeUndefined();
      expect(statements()).toBe(before);
    }
    expect(await checksRecorded()).toBe(recorded);
  });

  test('one forbidden root field refuses the whole operation, however it is spelled (aliases, fragments, directives)', async () => {
    const code = showcaseSubject().code;
    const recorded = await checksRecorded();
    for (const query of [
      `{ subject(code: "${code}") { name } creditCheck(code: "${code}", scenario: BIDDING) { verdict } }`,
      `{ allowed: subject(code: "${code}") { name } sneaky: creditCheck(code: "${code}", scenario: BIDDING) { verdict } }`,
      `query { ...Root } fragment Root on Query { creditCheck(code: "${code}", scenario: BIDDING) { verdict } }`,
      `query($yes: Boolean = true) { ... on Query { creditCheck(code: "${code}", scenario: BIDDING) @include(if: $yes) { verdict } } }`,
      `{ enforcementStatistics(from: "2026-01-01", to: "2026-12-31") { initiated } }`,
    ]) {
      const before = statements();
      const res = await ask(query, {}, await as({ caller: 'portal', scopes: ['credit:read'] }));
      expect({ query, status: res.status, code: res.errors?.[0]?.extensions?.code, data: res.data }).toEqual({
        query,
        status: 403,
        code: 'FORBIDDEN',
        data: undefined,
      });
      expect(statements()).toBe(before);
    }
    expect(await checksRecorded()).toBe(recorded);
  });

  test('a skipped forbidden field is not asked, so it is not refused', async () => {
    const code = showcaseSubject().code;
    const res = await ask(
      `query($no: Boolean = false) { subject(code: "${code}") { name } creditCheck(code: "${code}", scenario: BIDDING) @include(if: $no) { verdict } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.subject.name).toBe(showcaseSubject().name);
  });

  test('a mutation the caller may not run writes nothing, also beside an allowed field', async () => {
    const code = freshCreditCode();
    const before = statements();
    const res = await ask(
      `mutation { registerSubject(input: { code: "${code}", kind: ORGANISATION, name: "越权登记" }) { code } }`,
      {},
      await as({ caller: 'bank', scopes: ['credit:read'] }),
    );
    expect(res).toMatchObject({ status: 403, errors: [{ extensions: { code: 'FORBIDDEN' } }] });
    expect(statements()).toBe(before);
    const file = await ask(`{ subject(code: "${code}") { name } }`, {}, await as({ caller: 'department', department: 'NDRC', scopes: ['credit:read'] }));
    expect(file.data.subject).toBeNull();
  });

  test('a department token without credit:read reads the public part only: no exited entries, no unpublished focus', async () => {
    const q = 'query($c: ID!) { subject(code: $c) { entries { id kind status published } } }';
    const reader = await as({ caller: 'department', department: 'MOF', scopes: ['credit:read'] });
    const bare = await as({ caller: 'department', department: 'MOF', scopes: [] });
    let compared = 0;
    for (const subject of data.subjects.filter((s) => s.kind === 'ORGANISATION').slice(0, 60)) {
      const all = (await ask(q, { c: subject.code }, reader)).data.subject.entries as { id: string; kind: string; status: string; published: boolean }[];
      const seen = (await ask(q, { c: subject.code }, bare)).data.subject.entries as { id: string }[];
      expect({ subject: subject.code, seen: seen.map((e) => e.id).sort() }).toEqual({
        subject: subject.code,
        seen: all
          .filter(isPublicEntry)
          .map((e) => e.id)
          .sort(),
      });
      if (all.some((e) => !isPublicEntry(e))) compared++;
    }
    expect(compared).toBeGreaterThan(0); // some of them hold entries that are not public
  }, 60_000);
});
