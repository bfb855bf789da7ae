import { demoDataset, showcaseSubject } from '../lib/demo/dataset.js';
import { mask } from '../gateway/policy/masks.js';
import { POLICY, type Disclosure, type MaskStyle } from '../gateway/policy/policy.js';
import type { RunningSystem } from '../scripts/system.js';
import { backends } from './kit/backends.js';
import { graphql, startTestSystem } from './kit/system.js';
import { demoTasks } from './kit/demo.js';
import { as } from './kit/tokens.js';

const data = demoDataset();
const org = showcaseSubject();
const orgBlack = data.entries.find((e) => e.subjectCode === org.code && e.kind === 'BLACK')!;
const person = data.subjects.find((s) => s.kind === 'PERSON' && s.address)!;
const PURPOSE = 'ADMINISTRATIVE_APPROVAL';

const Q_ORG = 'query($c: ID!) { subject(code: $c) { phone legalRepresentative { name idNumber } entries(kind: BLACK) { evidence } } }';
const Q_PERSON = 'query($c: ID!) { subject(code: $c) { code name address } }';

type CallerName = 'anonymous' | 'portal' | 'bank' | 'department' | 'subject';
const callers: CallerName[] = ['anonymous', 'portal', 'bank', 'department', 'subject'];

const headersFor = (caller: CallerName, own: string): Promise<Record<string, string>> => {
  switch (caller) {
    case 'anonymous':
      return Promise.resolve({});
    case 'portal':
      return as({ caller: 'portal', scopes: ['credit:read'] });
    case 'bank':
      return as({ caller: 'bank', scopes: ['credit:read', 'list:BLACK'] });
    case 'department':
      return as(
        { caller: 'department', department: 'NDRC', scopes: ['credit:read', 'credit:read:personal', 'credit:read:secret'], purposes: [PURPOSE] },
        PURPOSE,
      );
    case 'subject':
      return as({ caller: 'subject', subject: own, scopes: ['credit:read'] });
  }
};

/**
 * The policy, as a table a person can check against domain.md A2–A4: what each caller kind gets of each
 * sensitive field (the subject column: its own file). `withheld` without credit:read is the field's @access.
 */
const TABLE: {
  field: string;
  kind: keyof typeof POLICY.dataKinds;
  query: 'org' | 'person';
  pick: (d: any) => unknown;
  raw: string;
  outcome: Record<CallerName, Disclosure>;
}[] = [
  {
    field: 'Person.idNumber',
    kind: 'PERSONAL_ID',
    query: 'org',
    pick: (d) => d.subject.legalRepresentative.idNumber,
    raw: org.legalRepresentative!.idNumber,
    outcome: { anonymous: 'masked', portal: 'masked', bank: 'hashed', department: 'full', subject: 'full' },
  },
  {
    field: 'Person.name',
    kind: 'PERSON_NAME',
    query: 'org',
    pick: (d) => d.subject.legalRepresentative.name,
    raw: org.legalRepresentative!.name,
    outcome: { anonymous: 'masked', portal: 'masked', bank: 'masked', department: 'full', subject: 'full' },
  },
  {
    field: 'Subject.phone',
    kind: 'PHONE',
    query: 'org',
    pick: (d) => d.subject.phone,
    raw: org.phone!,
    outcome: { anonymous: 'withheld', portal: 'withheld', bank: 'masked', department: 'full', subject: 'full' },
  },
  {
    field: 'ListEntry.evidence',
    kind: 'TRADE_SECRET',
    query: 'org',
    pick: (d) => d.subject.entries[0].evidence,
    raw: orgBlack.evidence!,
    outcome: { anonymous: 'withheld', portal: 'withheld', bank: 'withheld', department: 'full', subject: 'full' },
  },
  {
    field: 'Subject.code (person)',
    kind: 'PERSONAL_ID',
    query: 'person',
    pick: (d) => d.subject.code,
    raw: person.code,
    outcome: { anonymous: 'masked', portal: 'masked', bank: 'hashed', department: 'full', subject: 'full' },
  },
  {
    field: 'Subject.name (person)',
    kind: 'PERSON_NAME',
    query: 'person',
    pick: (d) => d.subject.name,
    raw: person.name,
    outcome: { anonymous: 'masked', portal: 'masked', bank: 'masked', department: 'full', subject: 'full' },
  },
  {
    field: 'Subject.address (person)',
    kind: 'ADDRESS',
    query: 'person',
    pick: (d) => d.subject.address,
    raw: person.address!,
    outcome: { anonymous: 'withheld', portal: 'masked', bank: 'masked', department: 'full', subject: 'full' },
  },
];

describe.each(backends)('authorisation, masking and the query log at the gateway ($name)', (backend) => {
  let system: RunningSystem;
  beforeAll(async () => {
    // deep and wide attacks on the masks: the public's operation limits (tested in test/limits.test.ts) are raised here
    system = await startTestSystem(backend, {
      env: { CALLER_LIMITS: JSON.stringify({ anonymous: { depth: 12, aliases: 40, rootFields: 20, cost: 10_000 } }) },
    });
  });
  afterAll(() => system?.stop());

  const ask = (query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) =>
    graphql<any>(system.gatewayUrl, query, variables, headers);

  test('A3: an anonymous caller sees a legal representative as 赵* with ID 320583********123X', async () => {
    const res = await ask('query($c: ID!) { subject(code: $c) { name legalRepresentative { name idNumber } } }', { c: org.code });
    expect(res.data.subject).toEqual({ name: org.name, legalRepresentative: { name: '赵*', idNumber: expect.stringMatching(/^320583\*{8}123X$/) } });
    expect(res.extensions?.policy).toMatchObject({ version: POLICY.version });
  });

  test('A2: a department with credit:read:personal and an allowed purpose sees both in full; without the purpose or the scope, masked', async () => {
    const q = 'query($c: ID!) { subject(code: $c) { legalRepresentative { name idNumber } } }';
    const token = { caller: 'department' as const, department: 'NDRC', scopes: ['credit:read', 'credit:read:personal'], purposes: [PURPOSE] };
    const full = await ask(q, { c: org.code }, await as(token, PURPOSE));
    expect(full.data.subject.legalRepresentative).toEqual(
      org.legalRepresentative && { name: org.legalRepresentative.name, idNumber: org.legalRepresentative.idNumber },
    );
    const noPurpose = await ask(q, { c: org.code }, await as(token));
    expect(noPurpose.data.subject.legalRepresentative).toEqual({ name: '赵*', idNumber: expect.stringMatching(/^320583\*{8}123X$/) });
    const noScope = await ask(q, { c: org.code }, await as({ ...token, scopes: ['credit:read'] }, PURPOSE));
    expect(noScope.data.subject.legalRepresentative.idNumber).toMatch(/^320583\*{8}123X$/);
    const otherPurpose = await ask(q, { c: org.code }, await as(token, 'CURIOSITY'));
    expect(otherPurpose.data.subject.legalRepresentative.name).toBe('赵*');
    expect(otherPurpose.errors).toEqual([expect.objectContaining({ extensions: { code: 'PURPOSE_NOT_ALLOWED' } })]);
  });

  describe('every caller kind × sensitive field, as the policy says', () => {
    test('the table agrees with the policy configuration', () => {
      for (const row of TABLE) {
        for (const caller of callers) {
          const best = POLICY.disclosure[row.kind][caller];
          // the table may only be stricter where the field's @access already denies the caller
          if (row.outcome[caller] !== best)
            expect({ field: row.field, caller, outcome: row.outcome[caller] }).toEqual({ field: row.field, caller, outcome: 'withheld' });
        }
      }
    });

    test.each(callers)('%s', async (caller) => {
      for (const row of TABLE) {
        const code = row.query === 'org' ? org.code : person.code;
        const res = await ask(row.query === 'org' ? Q_ORG : Q_PERSON, { c: code }, await headersFor(caller, code));
        const value = res.data?.subject ? row.pick(res.data) : undefined;
        const outcome = row.outcome[caller];
        const style = POLICY.dataKinds[row.kind].mask as MaskStyle | null;
        const seen = { field: row.field, value };
        if (outcome === 'full') expect(seen).toEqual({ field: row.field, value: row.raw });
        if (outcome === 'masked') expect(seen).toEqual({ field: row.field, value: mask(style!, row.raw) });
        if (outcome === 'hashed') expect(seen).toEqual({ field: row.field, value: expect.stringMatching(/^h:[\w-]{22}$/) });
        if (outcome === 'withheld') {
          expect(seen).toEqual({ field: row.field, value: null });
          expect(res.errors).toEqual(expect.arrayContaining([expect.objectContaining({ extensions: { code: 'FORBIDDEN_FIELD' } })]));
        }
        if (outcome !== 'full') expect(value).not.toBe(row.raw);
      }
    });
  });

  describe('no way around it', () => {
    const masked = /^320583\*{8}123X$/;
    const idOf = (res: any, ...path: (string | number)[]) => path.reduce((v, k) => v?.[k], res.data);

    test('aliases', async () => {
      const res = await ask('query($c: ID!) { s: subject(code: $c) { rep: legalRepresentative { id: idNumber n: name } } }', { c: org.code });
      expect(idOf(res, 's', 'rep', 'id')).toMatch(masked);
      expect(idOf(res, 's', 'rep', 'n')).toBe('赵*');
    });

    test('named and inline fragments', async () => {
      const res = await ask(
        'query($c: ID!) { subject(code: $c) { ...F ... on Subject { legalRepresentative { other: idNumber } } } } fragment F on Subject { legalRepresentative { ...P } } fragment P on Person { idNumber }',
        { c: org.code },
      );
      expect(idOf(res, 'subject', 'legalRepresentative', 'idNumber')).toMatch(masked);
      expect(idOf(res, 'subject', 'legalRepresentative', 'other')).toMatch(masked);
    });

    test('variables and @include', async () => {
      const res = await ask('query($c: ID!, $yes: Boolean!) { subject(code: $c) { legalRepresentative { idNumber @include(if: $yes) } } }', {
        c: org.code,
        yes: true,
      });
      expect(idOf(res, 'subject', 'legalRepresentative', 'idNumber')).toMatch(masked);
    });

    test('nested paths: entry → subject → legal representative', async () => {
      const res = await ask(
        'query($c: ID!) { subject(code: $c) { entries { subject { legalRepresentative { idNumber } entries { subject { name legalRepresentative { name } } } } } } }',
        { c: org.code },
      );
      const nested = res.data.subject.entries[0].subject;
      expect(nested.legalRepresentative.idNumber).toMatch(masked);
      expect(nested.entries[0].subject.legalRepresentative.name).toBe('赵*');
    });

    test('batched operations are refused whole', async () => {
      const response = await fetch(system.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([{ query: `{ subject(code: "${org.code}") { legalRepresentative { idNumber } } }` }]),
      });
      expect(response.status).toBe(400);
      expect(await response.text()).not.toContain(org.legalRepresentative!.idNumber);
    });

    test('_entities and _service are not part of the gateway schema', async () => {
      const entities = await ask(`{ _entities(representations: [{ __typename: "Subject", code: "${org.code}" }]) { ... on Subject { name } } }`, {});
      expect(entities.data).toBeUndefined();
      expect(entities.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
      const service = await ask('{ _service { sdl } }', {});
      expect(service.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    });

    test("the gateway's reserved aliases cannot be used to spoof a row", async () => {
      const res = await ask('query($c: ID!) { subject(code: $c) { _cg_kind: name legalRepresentative { idNumber } } }', { c: org.code });
      expect(res.data).toBeUndefined();
      expect(res.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    });

    test("a subgraph called directly, without the gateway's proof or with a forged one, refuses", async () => {
      const query = `{ _entities(representations: [{ __typename: "Subject", code: "${org.code}" }]) { ... on Subject { legalRepresentative { idNumber } } } }`;
      const bare = await graphql(system.subgraphUrls.listings, query);
      expect(bare.status).toBe(401);
      expect(bare.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
      expect(JSON.stringify(bare)).not.toContain(org.legalRepresentative!.idNumber);
      const { proofKeys } = await import('../lib/platform/auth/gatewayProof.js');
      const forged = proofKeys('a secret that is not the gateway secret, 32+ chars').sign(
        {
          kind: 'department',
          tokenId: 'x',
          clientId: 'x',
          principal: 'x',
          department: 'NDRC',
          region: null,
          scopes: new Set(['credit:read:personal']),
          allowedPurposes: new Set([PURPOSE]),
          purpose: PURPOSE,
        },
        { audience: 'listings', query, variables: {} },
      );
      const withForged = await graphql(system.subgraphUrls.listings, query, {}, { 'x-credit-gateway-proof': forged });
      expect(withForged.status).toBe(401);
    });

    test('a forged token and an expired token are UNAUTHENTICATED (HTTP 401) and see nothing', async () => {
      const { generateKeyPair, exportJWK } = await import('jose');
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      const forgedKey = { ...(await exportJWK(privateKey)), alg: 'ES256', kid: 'credit-graph-dev-1' };
      const scopes = ['credit:read', 'credit:read:personal'];
      const forged = await as({ caller: 'department', department: 'NDRC', scopes, purposes: [PURPOSE], key: forgedKey }, PURPOSE);
      const expired = await as(
        { caller: 'department', department: 'NDRC', scopes, purposes: [PURPOSE], now: new Date(Date.now() - 7_200_000), ttlSeconds: 60 },
        PURPOSE,
      );
      for (const headers of [forged, expired]) {
        const res = await ask('query($c: ID!) { subject(code: $c) { legalRepresentative { idNumber } } }', { c: org.code }, headers);
        expect(res.status).toBe(401);
        expect(res.data).toBeUndefined();
        expect(res.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
      }
    });

    test('a mutation without listing:write is refused before it runs, and nothing is written', async () => {
      const before = (await system.databases.listings.query<{ n: number }>('SELECT count(*)::int AS n FROM subjects'))[0]!.n;
      const res = await ask(
        'mutation { registerSubject(input: { code: "91340600MA2PBM9HXD", kind: ORGANISATION, name: "某公司" }) { code } }',
        {},
        await as({ caller: 'portal', scopes: ['credit:read'] }),
      );
      expect(res.errors![0]!.extensions!.code).toBe('FORBIDDEN');
      expect((await system.databases.listings.query<{ n: number }>('SELECT count(*)::int AS n FROM subjects'))[0]!.n).toBe(before);
    });
  });

  describe('rows (A1)', () => {
    const focusSubject = data.entries.find((e) => e.kind === 'FOCUS' && !e.published && e.status === 'EFFECTIVE')!;
    const q = 'query($c: ID!) { subject(code: $c) { entries { id kind } } }';

    test('an unpublished focus entry is seen by departments only', async () => {
      const ids = async (headers: Record<string, string>) =>
        (await ask(q, { c: focusSubject.subjectCode }, headers)).data.subject.entries.map((e: any) => e.id);
      expect(await ids({})).not.toContain(focusSubject.id);
      expect(await ids(await as({ caller: 'portal', scopes: ['credit:read'] }))).not.toContain(focusSubject.id);
      expect(await ids(await as({ caller: 'department', department: 'SAMR', scopes: ['credit:read'] }))).toContain(focusSubject.id);
    });

    test('a bank sees only the list kinds its scopes name', async () => {
      const res = await ask(q, { c: org.code }, await as({ caller: 'bank', scopes: ['credit:read', 'list:RED'] }));
      expect(res.data.subject.entries).toEqual([]);
      const black = await ask(q, { c: org.code }, await as({ caller: 'bank', scopes: ['credit:read', 'list:BLACK'] }));
      expect(black.data.subject.entries.map((e: any) => e.kind)).toEqual(['BLACK']);
    });

    test('the determining authority sees its own entries in full; another department does not', async () => {
      const ev = 'query($c: ID!) { subject(code: $c) { entries(kind: BLACK) { evidence } } }';
      const own = await ask(ev, { c: org.code }, await as({ caller: 'department', department: orgBlack.authority, scopes: ['credit:read'] }));
      expect(own.data.subject.entries[0].evidence).toBe(orgBlack.evidence);
      const other = await ask(ev, { c: org.code }, await as({ caller: 'department', department: 'PBOC', scopes: ['credit:read'] }));
      expect(other.data.subject.entries[0].evidence).toBeNull();
    });

    test("a subject sees its own file in full, and another subject's file as the public does", async () => {
      const token = await as({ caller: 'subject', subject: org.code, scopes: ['credit:read'] });
      const own = await ask('query($c: ID!) { subject(code: $c) { legalRepresentative { idNumber } tasks { id } objections { id } } }', { c: org.code }, token);
      expect(own.data.subject.legalRepresentative.idNumber).toBe(org.legalRepresentative!.idNumber);
      expect(own.data.subject.tasks.length).toBe(demoTasks(data).filter((t) => t.subjectCode === org.code).length);
      const other = data.subjects.find((s) => s.kind === 'ORGANISATION' && s.code !== org.code)!;
      const theirs = await ask('query($c: ID!) { subject(code: $c) { legalRepresentative { idNumber } tasks { id } } }', { c: other.code }, token);
      expect(theirs.data.subject.legalRepresentative.idNumber).toBe(mask('idNumber', other.legalRepresentative!.idNumber));
      expect(theirs.data.subject.tasks).toEqual([]);
    });
  });

  describe('the query log (A2)', () => {
    const reader = () => as({ caller: 'department', department: 'PBOC', scopes: ['credit:read', 'credit:read:personal'], purposes: [PURPOSE] }, PURPOSE);
    const q = 'query($c: ID!) { subject(code: $c) { legalRepresentative { name idNumber } } }';

    test('a read of personal data in full is recorded: who, purpose, subject, fields, policy version; tampering is detected', async () => {
      const subject = data.subjects.find((s) => s.kind === 'ORGANISATION' && s.code !== org.code)!;
      const res = await ask(q, { c: subject.code }, await reader());
      expect(res.data.subject.legalRepresentative.idNumber).toBe(subject.legalRepresentative!.idNumber);
      const [record] = await system.queryLog.forSubject(subject.code);
      expect(record).toMatchObject({
        callerKind: 'department',
        department: 'PBOC',
        purpose: PURPOSE,
        subjects: [subject.code],
        fields: ['Person.idNumber', 'Person.name'],
        policyVersion: POLICY.version,
      });
      expect(await system.queryLog.verify()).toMatchObject({ ok: true });

      const db = system.databases.gateway;
      await db.query('ALTER TABLE query_log DISABLE TRIGGER ALL');
      await db.query("UPDATE query_log SET department = 'NOBODY' WHERE seq = $1", [(record as { seq: number }).seq]);
      await db.query('ALTER TABLE query_log ENABLE TRIGGER ALL');
      expect(await system.queryLog.verify()).toMatchObject({ ok: false, brokenAt: (record as { seq: number }).seq });
      await db.query('ALTER TABLE query_log DISABLE TRIGGER ALL');
      await db.query("UPDATE query_log SET department = 'PBOC' WHERE seq = $1", [(record as { seq: number }).seq]);
      await db.query('ALTER TABLE query_log ENABLE TRIGGER ALL');
    });

    test('a subject reads who queried its file; other departments do not, the public may not ask', async () => {
      const subject = data.subjects.filter((s) => s.kind === 'ORGANISATION' && s.legalRepresentative)[9]!;
      await ask(q, { c: subject.code }, await reader());
      const log = 'query($c: ID!) { subject(code: $c) { queryLog { callerKind department purpose fields at } } }';
      const own = await ask(log, { c: subject.code }, await as({ caller: 'subject', subject: subject.code, scopes: ['credit:read'] }));
      expect(own.data.subject.queryLog).toEqual([
        {
          callerKind: 'department',
          department: 'PBOC',
          purpose: PURPOSE,
          fields: ['Person.idNumber', 'Person.name'],
          at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        },
      ]);
      const otherDepartment = await ask(log, { c: subject.code }, await as({ caller: 'department', department: 'MOF', scopes: ['credit:read'] }));
      expect(otherDepartment.data.subject.queryLog).toEqual([]);
      const auditor = await ask(log, { c: subject.code }, await as({ caller: 'department', department: 'NDRC', scopes: ['audit:read'] }));
      expect(auditor.data.subject.queryLog).toHaveLength(1);
      const anonymous = await ask(log, { c: subject.code });
      expect(anonymous.data.subject.queryLog).toBeNull();
      expect(anonymous.errors![0]!.extensions!.code).toBe('FORBIDDEN_FIELD');
    });

    test('masked reads are not logged; every query by a bank is', async () => {
      const subject = data.subjects.filter((s) => s.kind === 'ORGANISATION' && s.legalRepresentative)[5]!;
      await ask(q, { c: subject.code }, await as({ caller: 'portal', scopes: ['credit:read'] }));
      expect(await system.queryLog.forSubject(subject.code)).toEqual([]);
      await ask(q, { c: subject.code }, await as({ caller: 'bank', clientId: 'bank-of-test', scopes: ['credit:read'] }));
      expect(await system.queryLog.forSubject(subject.code)).toEqual([expect.objectContaining({ callerKind: 'bank', clientId: 'bank-of-test', fields: [] })]);
    });

    test('when the log cannot be written, the personal data is not returned', async () => {
      const subject = data.subjects.filter((s) => s.kind === 'ORGANISATION' && s.legalRepresentative).at(-1)!;
      const db = system.databases.gateway;
      await db.query('ALTER TABLE query_log RENAME TO query_log_offline');
      try {
        const res = await ask(q, { c: subject.code }, await reader());
        expect(res.data.subject.legalRepresentative).toEqual({
          name: mask('name', subject.legalRepresentative!.name),
          idNumber: mask('idNumber', subject.legalRepresentative!.idNumber),
        });
        expect(res.errors).toEqual([expect.objectContaining({ extensions: { code: 'QUERY_LOG_UNAVAILABLE' } })]);
      } finally {
        await db.query('ALTER TABLE query_log_offline RENAME TO query_log');
      }
    });
  });

  test('A4: a bank past its rate limit gets RATE_LIMITED with Retry-After (HTTP 429)', async () => {
    const headers = await as({ caller: 'bank', clientId: `bank-limit-${Date.now()}`, scopes: ['credit:read'] });
    let last: Awaited<ReturnType<typeof ask>> | undefined;
    for (let i = 0; i <= 120; i++) last = await ask('{ searchSubjects(text: "昆山", first: 1) { region } }', {}, headers);
    expect(last!.status).toBe(429);
    expect(last!.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
  });
});
