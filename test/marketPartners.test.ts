/**
 * A5: credit-service agencies (信用服务机构), industry associations (行业协会) and news media (新闻媒体) are market
 * partners like the banks of A4 — caller kinds of their own, with scoped tokens: each sees only the lists its `list:`
 * scopes name, personal data as its row of the policy table says (never in full), at its own limits, and every query
 * it makes is in the query log. An agency files its credit reports (R6) under its own token, in its own name only.
 */
import { importJWK, SignJWT } from 'jose';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_PRIVATE_JWK } from '../gateway/auth/devKey.js';
import { ACCESS_TOKEN_TYPE } from '../gateway/auth/verifyToken.js';
import { mask } from '../gateway/policy/masks.js';
import { POLICY, type Disclosure, type MaskStyle } from '../gateway/policy/policy.js';
import { demoDataset, showcaseSubject } from '../lib/demo/dataset.js';
import type { RunningSystem } from '../scripts/system.js';
import { backends } from './kit/backends.js';
import { graphql, startTestSystem } from './kit/system.js';
import { as } from './kit/tokens.js';

const data = demoDataset();
const org = showcaseSubject();
const orgBlack = data.entries.find((e) => e.subjectCode === org.code && e.kind === 'BLACK')!;
const person = data.subjects.find((s) => s.kind === 'PERSON' && s.address)!;
/** An organisation on the focus list (published) and, through focus in three fields, on the warning list (L6). */
const focused = data.subjects.find(
  (s) =>
    s.kind === 'ORGANISATION' &&
    data.entries.some((e) => e.subjectCode === s.code && e.kind === 'WARNING' && e.published) &&
    data.entries.some((e) => e.subjectCode === s.code && e.kind === 'FOCUS' && e.published && e.status === 'EFFECTIVE'),
)!;

type Partner = 'agency' | 'association' | 'media';
const PARTNERS: Partner[] = ['agency', 'association', 'media'];
const ALL_LISTS = ['list:RED', 'list:BLACK', 'list:FOCUS', 'list:WARNING'];

let clients = 0;
/** A market partner's token, each a client of its own (its own rate budget, its own query-log records). */
const partner = (kind: Partner, scopes: string[], clientId = `${kind}-${++clients}`) => as({ caller: kind, clientId, scopes });

/**
 * What each market partner gets of each sensitive field, as a person can check it against domain.md A3–A5: an agency
 * as a bank, an association as a bank without the phone, the media as the public portal. The bank column is there to
 * compare with: no partner is told more than a bank.
 */
const TABLE: {
  field: string;
  kind: keyof typeof POLICY.dataKinds;
  query: 'org' | 'person';
  pick: (d: any) => unknown;
  raw: string;
  outcome: Record<Partner | 'bank', Disclosure>;
}[] = [
  {
    field: 'Person.idNumber',
    kind: 'PERSONAL_ID',
    query: 'org',
    pick: (d) => d.subject.legalRepresentative.idNumber,
    raw: org.legalRepresentative!.idNumber,
    outcome: { bank: 'hashed', agency: 'hashed', association: 'hashed', media: 'masked' },
  },
  {
    field: 'Person.name',
    kind: 'PERSON_NAME',
    query: 'org',
    pick: (d) => d.subject.legalRepresentative.name,
    raw: org.legalRepresentative!.name,
    outcome: { bank: 'masked', agency: 'masked', association: 'masked', media: 'masked' },
  },
  {
    field: 'Subject.phone',
    kind: 'PHONE',
    query: 'org',
    pick: (d) => d.subject.phone,
    raw: org.phone!,
    outcome: { bank: 'masked', agency: 'masked', association: 'withheld', media: 'withheld' },
  },
  {
    field: 'ListEntry.evidence',
    kind: 'TRADE_SECRET',
    query: 'org',
    pick: (d) => d.subject.entries[0].evidence,
    raw: orgBlack.evidence!,
    outcome: { bank: 'withheld', agency: 'withheld', association: 'withheld', media: 'withheld' },
  },
  {
    field: 'Subject.code (person)',
    kind: 'PERSONAL_ID',
    query: 'person',
    pick: (d) => d.subject.code,
    raw: person.code,
    outcome: { bank: 'hashed', agency: 'hashed', association: 'hashed', media: 'masked' },
  },
  {
    field: 'Subject.name (person)',
    kind: 'PERSON_NAME',
    query: 'person',
    pick: (d) => d.subject.name,
    raw: person.name,
    outcome: { bank: 'masked', agency: 'masked', association: 'masked', media: 'masked' },
  },
  {
    field: 'Subject.address (person)',
    kind: 'ADDRESS',
    query: 'person',
    pick: (d) => d.subject.address,
    raw: person.address!,
    outcome: { bank: 'masked', agency: 'masked', association: 'masked', media: 'masked' },
  },
];

const Q_ORG = 'query($c: ID!) { subject(code: $c) { phone legalRepresentative { name idNumber } entries(kind: BLACK) { evidence } } }';
const Q_PERSON = 'query($c: ID!) { subject(code: $c) { code name address } }';
const Q_ENTRIES = 'query($c: ID!) { subject(code: $c) { entries { id kind } } }';
const AGENCY_REPORT = 'mutation($i: AgencyCreditReportInput!) { submitAgencyCreditReport(input: $i) { agency reportNumber issuedOn } }';
const SUBJECT_REPORT = 'mutation($i: CreditReportInput!) { submitCreditReport(input: $i) { agency reportNumber } }';
const today = () => new Date().toISOString().slice(0, 10);

describe('A5: the policy names every market partner', () => {
  test('A5: the table above is the policy configuration, and no market partner sees anything in full', () => {
    for (const row of TABLE) {
      for (const kind of [...PARTNERS, 'bank'] as const) {
        expect({ field: row.field, kind, outcome: POLICY.disclosure[row.kind][kind] }).toEqual({ field: row.field, kind, outcome: row.outcome[kind] });
      }
    }
    for (const kinds of Object.values(POLICY.disclosure)) for (const kind of [...PARTNERS, 'bank'] as const) expect(kinds[kind]).not.toBe('full');
  });

  test('A5: the media see what the public portal publishes, nothing more', () => {
    for (const [kind, row] of Object.entries(POLICY.disclosure)) expect({ kind, media: row.media }).toEqual({ kind, media: row.portal });
  });
});

describe.each(backends)('A5: market partners through the gateway ($name)', (backend) => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startTestSystem(backend);
  }, 180_000);
  afterAll(() => system?.stop(), 60_000);

  const ask = (query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) =>
    graphql<any>(system.gatewayUrl, query, variables, headers);
  const reportsNumbered = async (reportNumber: string) =>
    system.databases.repair.query<{ subject_code: string; agency: string }>('SELECT subject_code, agency FROM credit_reports WHERE report_number = $1', [
      reportNumber,
    ]);
  const reportCount = async () => (await system.databases.repair.query<{ n: number }>('SELECT count(*)::int AS n FROM credit_reports'))[0]!.n;

  test.each(PARTNERS)('A5: %s sees personal data masked as its row of the policy table says', async (kind) => {
    const headers = await partner(kind, ['credit:read', ...ALL_LISTS]);
    for (const row of TABLE) {
      const res = await ask(row.query === 'org' ? Q_ORG : Q_PERSON, { c: row.query === 'org' ? org.code : person.code }, headers);
      const value = res.data?.subject ? row.pick(res.data) : undefined;
      const seen = { field: row.field, value };
      const outcome = row.outcome[kind];
      if (outcome === 'masked') expect(seen).toEqual({ field: row.field, value: mask(POLICY.dataKinds[row.kind].mask as MaskStyle, row.raw) });
      if (outcome === 'hashed') expect(seen).toEqual({ field: row.field, value: expect.stringMatching(/^h:[\w-]{22}$/) });
      if (outcome === 'withheld') {
        expect(seen).toEqual({ field: row.field, value: null });
        expect(res.errors).toEqual(expect.arrayContaining([expect.objectContaining({ extensions: { code: 'FORBIDDEN_FIELD' } })]));
      }
      expect(value).not.toBe(row.raw);
    }
  });

  test.each(PARTNERS)('A5: %s with credit:read:personal and a purpose still sees no personal data in full', async (kind) => {
    const headers = await as(
      {
        caller: kind,
        clientId: `${kind}-personal`,
        scopes: ['credit:read', 'credit:read:personal', 'credit:read:secret', ...ALL_LISTS],
        purposes: ['FINANCING'],
      },
      'FINANCING',
    );
    const res = await ask(Q_ORG, { c: org.code }, headers);
    expect(res.data.subject.legalRepresentative.idNumber).not.toBe(org.legalRepresentative!.idNumber);
    expect(res.data.subject.legalRepresentative.name).not.toBe(org.legalRepresentative!.name);
    expect(res.data.subject.entries[0].evidence).toBeNull();
  });

  test.each(PARTNERS)('A5: %s token sees only the lists its scopes name', async (kind) => {
    const kinds = async (code: string, scopes: string[]) =>
      ((await ask(Q_ENTRIES, { c: code }, await partner(kind, ['credit:read', ...scopes]))).data.subject.entries as { kind: string }[])
        .map((e) => e.kind)
        .sort();
    expect(await kinds(org.code, [])).toEqual([]);
    expect(await kinds(org.code, ['list:RED'])).toEqual([]);
    expect(await kinds(org.code, ['list:BLACK'])).toEqual(['BLACK']);
    expect(await kinds(focused.code, ['list:WARNING'])).toEqual(['WARNING']);
    expect(new Set(await kinds(focused.code, ['list:FOCUS', 'list:WARNING']))).toEqual(new Set(['FOCUS', 'WARNING']));
    // and its credit check rests on those lists only, exactly as a bank's with the same scopes (A4, A5: one rule for every route)
    const check = async (caller: Partner | 'bank', scopes: string[]) =>
      (
        await ask(
          'query($c: ID!) { creditCheck(code: $c, scenario: BIDDING) { verdict measures { code } entries { id kind } } }',
          { c: org.code },
          await as({ caller, clientId: `${caller}-check-${++clients}`, scopes: ['check:run', ...scopes] }),
        )
      ).data.creditCheck;
    for (const scopes of [[], ['list:RED'], ['list:BLACK'], ALL_LISTS]) {
      const seen = await check(kind, scopes);
      expect({ scopes, seen }).toEqual({ scopes, seen: await check('bank', scopes) });
      expect({ scopes, kinds: seen.entries.map((e: { kind: string }) => e.kind) }).toEqual({ scopes, kinds: scopes.includes('list:BLACK') ? ['BLACK'] : [] });
    }
  });

  test.each(PARTNERS)('A5: every query by %s is in the query log, even one that reveals nothing or names nobody', async (kind) => {
    const clientId = `${kind}-logged-${Date.now()}`;
    const headers = await as({ caller: kind, clientId, scopes: ['credit:read', 'list:BLACK'] });
    await ask('query($c: ID!) { subject(code: $c) { name entries { kind } } }', { c: org.code }, headers);
    await ask('{ searchSubjects(text: "没有这个名字的企业", first: 1) { name } }', {}, headers);
    const records = await system.databases.gateway.query<{ caller_kind: string; subjects: string[]; fields: string[] }>(
      'SELECT caller_kind, subjects, fields FROM query_log WHERE client_id = $1 ORDER BY seq',
      [clientId],
    );
    expect(records).toEqual([
      { caller_kind: kind, subjects: [org.code], fields: [] },
      { caller_kind: kind, subjects: [], fields: [] },
    ]);
    expect(await system.queryLog.forSubject(org.code)).toEqual(expect.arrayContaining([expect.objectContaining({ callerKind: kind, clientId })]));
    expect((await system.queryLog.verify()).ok).toBe(true);
  });

  test('A5: a market partner is answered only when its query is logged', async () => {
    const db = system.databases.gateway;
    await db.query('ALTER TABLE query_log RENAME TO query_log_offline');
    try {
      for (const kind of PARTNERS) {
        const res = await ask('query($c: ID!) { subject(code: $c) { name entries { kind } } }', { c: org.code }, await partner(kind, ['list:BLACK']));
        expect({ kind, data: res.data, code: res.errors?.[0]?.extensions?.code }).toEqual({ kind, data: null, code: 'QUERY_LOG_UNAVAILABLE' });
      }
    } finally {
      await db.query('ALTER TABLE query_log_offline RENAME TO query_log');
    }
  });

  test('A5: each kind has limits of its own; the media screen no batches (100 codes), an agency as a bank (1,000)', async () => {
    const codes = data.subjects
      .filter((s) => s.kind === 'ORGANISATION')
      .slice(0, 101)
      .map((s) => s.code);
    expect(codes).toHaveLength(101);
    const q = 'query($c: [ID!]!) { subjects(codes: $c) { kind } }';
    const media = await ask(q, { c: codes }, await partner('media', ['list:BLACK']));
    expect(media.errors?.[0]?.extensions?.code).toBe('MAX_LIST_SIZE_LIMIT');
    const agency = await ask(q, { c: codes }, await partner('agency', ['list:BLACK']));
    expect(agency.errors).toBeUndefined();
    expect(agency.data.subjects).toHaveLength(101);
  });

  test('A5: a token naming a caller kind the gateway does not know is refused (UNAUTHENTICATED, HTTP 401)', async () => {
    const key = await importJWK(DEV_PRIVATE_JWK, 'ES256');
    for (const caller of ['rating_agency', 'Agency', 'press', 'anonymous']) {
      const iat = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({ client_id: 'someone', scope: 'credit:read list:BLACK', caller })
        .setProtectedHeader({ alg: 'ES256', typ: ACCESS_TOKEN_TYPE, kid: DEV_PRIVATE_JWK.kid! })
        .setIssuer(DEV_ISSUER)
        .setAudience(DEV_AUDIENCE)
        .setSubject('someone')
        .setIssuedAt(iat)
        .setExpirationTime(iat + 600)
        .setJti(`unknown-kind-${caller}`)
        .sign(key);
      const res = await ask('query($c: ID!) { subject(code: $c) { name } }', { c: org.code }, { authorization: `Bearer ${token}` });
      expect({ caller, status: res.status, code: res.errors?.[0]?.extensions?.code, data: res.data }).toEqual({
        caller,
        status: 401,
        code: 'UNAUTHENTICATED',
        data: undefined,
      });
      expect(res.errors![0]!.message).toMatch(/claim "caller" must be one of .*agency.*association.*media/);
    }
  });

  describe('R6: credit reports filed by the agency that issued them', () => {
    const agencyToken = (clientId: string, scopes = ['report:submit']) => as({ caller: 'agency', clientId, scopes });

    test('R6: an agency files a credit report with its own token, the report names that agency, and it counts for repair', async () => {
      const own = await as({ caller: 'subject', subject: org.code, scopes: ['repair:apply', 'credit:read'] });
      const outlook = async () =>
        (await ask('query($c: ID!) { subject(code: $c) { repairOutlook { lacks } } }', { c: org.code }, own)).data.subject.repairOutlook.flatMap(
          (o: { lacks: string[] }) => o.lacks,
        );
      expect(await outlook()).toContain('CREDIT_REPORT');

      const res = await ask(AGENCY_REPORT, { i: { subject: org.code, reportNumber: 'CCX-2026-0001', issuedOn: today() } }, await agencyToken('CCX'));
      expect(res.errors).toBeUndefined();
      expect(res.data.submitAgencyCreditReport).toEqual({ agency: 'CCX', reportNumber: 'CCX-2026-0001', issuedOn: today() });
      expect(await reportsNumbered('CCX-2026-0001')).toEqual([{ subject_code: org.code, agency: 'CCX' }]);

      // the subject sees it in its file, and it meets R6 for its repair (R7)
      const file = await ask('query($c: ID!) { subject(code: $c) { creditReports { agency reportNumber } } }', { c: org.code }, own);
      expect(file.data.subject.creditReports).toEqual(expect.arrayContaining([{ agency: 'CCX', reportNumber: 'CCX-2026-0001' }]));
      expect(await outlook()).not.toContain('CREDIT_REPORT');
    });

    test("R6: an agency cannot file in another agency's name, neither by naming it nor through the subject's path", async () => {
      const before = await reportCount();
      const named = await ask(
        'mutation { submitAgencyCreditReport(input: { subject: "' +
          org.code +
          '", agency: "DAGONG_CREDIT", reportNumber: "X-1", issuedOn: "2026-01-05" }) { agency } }',
        {},
        await agencyToken('CCX'),
      );
      expect(named.status).toBe(400);
      expect(named.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
      const viaVariables = await ask(
        AGENCY_REPORT,
        { i: { subject: org.code, agency: 'DAGONG_CREDIT', reportNumber: 'X-2', issuedOn: '2026-01-05' } },
        await agencyToken('CCX'),
      );
      expect(viaVariables.data ?? null).toBeNull();
      expect(viaVariables.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');

      // an agency token that also holds repair:apply is still not the subject: the subject's path refuses it
      const viaSubjectPath = await ask(
        SUBJECT_REPORT,
        { i: { agency: 'DAGONG_CREDIT', reportNumber: 'X-3', issuedOn: '2026-01-05' } },
        await agencyToken('CCX', ['report:submit', 'repair:apply']),
      );
      expect({ status: viaSubjectPath.status, code: viaSubjectPath.errors?.[0]?.extensions?.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
      expect(await reportCount()).toBe(before);
    });

    test('R6: only an agency files under report:submit; a media, bank, association, department or subject token holding it is refused', async () => {
      const before = await reportCount();
      const holders: [string, Record<string, string>][] = [
        ['media', await as({ caller: 'media', clientId: 'CCX', scopes: ['report:submit'] })],
        ['bank', await as({ caller: 'bank', clientId: 'CCX', scopes: ['report:submit'] })],
        ['association', await as({ caller: 'association', clientId: 'CCX', scopes: ['report:submit'] })],
        ['department', await as({ caller: 'department', department: 'NDRC', clientId: 'CCX', scopes: ['report:submit'] })],
        ['subject', await as({ caller: 'subject', subject: org.code, clientId: 'CCX', scopes: ['report:submit', 'repair:apply'] })],
        ['portal', await as({ caller: 'portal', clientId: 'CCX', scopes: ['report:submit'] })],
      ];
      for (const [kind, headers] of holders) {
        const res = await ask(AGENCY_REPORT, { i: { subject: org.code, reportNumber: `BY-${kind}`, issuedOn: '2026-01-05' } }, headers);
        expect({ kind, status: res.status, code: res.errors?.[0]?.extensions?.code }).toEqual({ kind, status: 403, code: 'FORBIDDEN' });
      }
      // and without the scope, an agency is refused before anything runs
      const without = await ask(
        AGENCY_REPORT,
        { i: { subject: org.code, reportNumber: 'NO-SCOPE', issuedOn: '2026-01-05' } },
        await agencyToken('CCX', ['credit:read']),
      );
      expect({ status: without.status, code: without.errors?.[0]?.extensions?.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
      expect(await reportCount()).toBe(before);
    });

    test('R6: an agency that is not registered files nothing (RULE_REFUSED); a code that fails its check is BAD_IDENTIFIER', async () => {
      const before = await reportCount();
      const unregistered = await ask(
        AGENCY_REPORT,
        { i: { subject: org.code, reportNumber: 'U-1', issuedOn: '2026-01-05' } },
        await agencyToken('SOME_UNREGISTERED_CREDIT_CO'),
      );
      expect(unregistered.errors![0]!.extensions).toMatchObject({ code: 'RULE_REFUSED', rule: 'R6' });
      const badCode = await ask(AGENCY_REPORT, { i: { subject: '91350100M000100Y4A', reportNumber: 'U-2', issuedOn: '2026-01-05' } }, await agencyToken('CCX'));
      expect(badCode.errors![0]!.extensions).toMatchObject({ code: 'BAD_IDENTIFIER' });
      expect(await reportCount()).toBe(before);
    });

    test("R6: the subject's own path still works, and each agency sees the reports in its name, not another's", async () => {
      const own = await as({ caller: 'subject', subject: org.code, scopes: ['repair:apply'] });
      const filed = await ask(SUBJECT_REPORT, { i: { agency: 'LIANHE_CREDIT', reportNumber: 'LH-2026-7', issuedOn: '2026-01-05' } }, own);
      expect(filed.errors).toBeUndefined();
      expect(filed.data.submitCreditReport).toEqual({ agency: 'LIANHE_CREDIT', reportNumber: 'LH-2026-7' });

      const seenBy = async (clientId: string) =>
        (
          await ask(
            'query($c: ID!) { subject(code: $c) { creditReports { agency reportNumber } } }',
            { c: org.code },
            await agencyToken(clientId, ['credit:read', 'list:BLACK']),
          )
        ).data.subject.creditReports.map((r: { agency: string }) => r.agency);
      expect(new Set(await seenBy('LIANHE_CREDIT'))).toEqual(new Set(['LIANHE_CREDIT']));
      expect(new Set(await seenBy('DAGONG_CREDIT'))).toEqual(new Set());
      // media and associations see no credit reports at all (R6 records are shared with departments, A1)
      const media = await ask(
        'query($c: ID!) { subject(code: $c) { creditReports { agency } } }',
        { c: org.code },
        await partner('media', ['credit:read', 'list:BLACK']),
      );
      expect(media.data.subject.creditReports).toEqual([]);
    });
  });
});
