import type { Clock } from '../../lib/platform/clock.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/kit/backends.js';
import { execute } from '../../test/kit/execute.js';
import { callerOf } from '../../test/kit/callers.js';
import { createListingsServer } from './server.js';

const clock: Clock = { now: () => new Date('2026-11-23T02:00:00Z'), today: () => '2026-11-23' };
const LEGACY = '91350211M0000XUF46';

const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterSubjectInput!) {
    registerSubject(input: $input) {
      code
      kind
      name
      region
      lei
      legalRepresentative {
        name
        idType
        idNumber
      }
    }
  }
`;
const DETERMINE = /* GraphQL */ `
  mutation Determine($input: DetermineEntryInput!) {
    determineEntry(input: $input) {
      id
      kind
      status
      field
      determinedOn
      validUntil
      exit {
        way
      }
      subject {
        code
      }
    }
  }
`;
const SUBJECT = 'query($code: ID!) { subject(code: $code) { code name entries { id kind status } } }';

const org = {
  code: '91110000802100433B',
  kind: 'ORGANISATION',
  name: '北京测试科技有限公司',
  legalRepresentative: { name: '钱多多', idNumber: '11010519491231002X' },
};
const person = { code: '11010519491231002X', kind: 'PERSON', name: '王某' };
// a subject with no black or focus entry, so a red candidate is not refused (L3)
const institution = { code: '121200004013590816', kind: 'ORGANISATION', name: '某事业单位' };
const entry = {
  code: org.code,
  kind: 'BLACK',
  field: 'TAX',
  facts: '虚开发票',
  authority: 'STA',
  basis: '《税收征收管理法》',
  determinedOn: '2026-11-02',
  validUntil: '2029-11-02',
};

describe.each(backends)('listings subgraph in process ($name)', (backend) => {
  let t: TestDatabase;
  let service: ReturnType<typeof createListingsServer>;
  beforeAll(async () => {
    t = await openTestDatabase(backend, 'listings');
    service = createListingsServer({ db: t.db, clock, legacyCreditCodes: new Set([LEGACY]) });
    await service.migrate();
    await service.apollo.start();
    await write(REGISTER, { input: org });
    await write(REGISTER, { input: person });
    await write(REGISTER, { input: institution });
  });
  afterAll(async () => {
    await service?.apollo.stop();
    await t?.dispose();
  });

  const sta = callerOf('department', { department: 'STA', scopes: ['listing:write'] });
  const write = (query: string, variables: Record<string, unknown>) => execute<Record<string, unknown>>(service, query, variables, sta);
  const subjectCount = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM subjects'))[0]!.n;
  const entryCount = async () => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM list_entries'))[0]!.n;

  describe('registerSubject', () => {
    test('an organisation is stored with its region taken from its credit code (positions 3–8)', async () => {
      const res = await execute(service, 'query($c: ID!) { subject(code: $c) { code kind region legalRepresentative { name idType } } }', {
        c: org.code.toLowerCase(),
      });
      expect(res.data).toEqual({
        subject: { code: org.code, kind: 'ORGANISATION', region: '110000', legalRepresentative: { name: '钱多多', idType: 'RESIDENT_ID' } },
      });
    });

    test('a natural person is stored with the region of its resident ID number (positions 1–6)', async () => {
      const res = await execute<{ subject: { code: string } }>(service, 'query($c: ID!) { subject(code: $c) { code kind region } }', { c: person.code }, sta);
      expect(res.data).toEqual({ subject: { code: person.code, kind: 'PERSON', region: '110105' } });
    });

    test('A6: to anyone but a department, a person with nothing public is an unknown code, also here behind the gateway', async () => {
      const lookup = 'query($c: ID!, $t: String!) { subject(code: $c) { code } subjects(codes: [$c]) { code } searchSubjects(text: $t) { code } }';
      const res = await execute(service, lookup, { c: person.code, t: person.code });
      expect(res.data).toEqual({ subject: null, subjects: [null], searchSubjects: [] });
      const itself = await execute(service, lookup, { c: person.code, t: person.code }, callerOf('subject', { subject: person.code }));
      expect(itself.data).toEqual({ subject: { code: person.code }, subjects: [{ code: person.code }], searchSubjects: [{ code: person.code }] });
    });

    test.each([
      ['a bad check character', { ...org, code: '91350100M000100Y4A' }, { argument: 'code', identifier: 'CREDIT_CODE', failed: 'CHECK_CHARACTER' }],
      ['a forbidden letter', { ...org, code: '91350100M000100YO3' }, { argument: 'code', identifier: 'CREDIT_CODE', failed: 'CHARACTERS' }],
      ['an impossible birth date', { ...person, code: '110105194902300025' }, { argument: 'code', identifier: 'RESIDENT_ID' }],
      ["a person's ID registered as an organisation", { ...org, code: '440524188001010014' }, { argument: 'code' }],
      [
        'a legal representative with a bad ID number',
        { ...org, code: '91350100M000100Y43', legalRepresentative: { name: '李四', idNumber: '110105194912310021' } },
        { argument: 'legalRepresentative.idNumber', identifier: 'RESIDENT_ID', failed: 'CHECK_CHARACTER' },
      ],
      [
        'a LEI with bad check digits',
        { ...org, code: '91350100M000100Y43', lei: '8I5DZWZKVSZI1NUHU749' },
        { argument: 'lei', identifier: 'LEI', failed: 'CHECK_CHARACTER' },
      ],
    ])('%s is BAD_IDENTIFIER, naming the check, and nothing is written', async (_, input, extensions) => {
      const before = await subjectCount();
      const res = await write(REGISTER, { input });
      expect(res.data).toBeNull();
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_IDENTIFIER', ...extensions });
      expect(await subjectCount()).toBe(before);
    });

    test('a legacy pilot code is accepted only because it is configured', async () => {
      const res = await write(REGISTER, { input: { code: LEGACY, kind: 'ORGANISATION', name: '厦门早期试点有限公司' } });
      expect(res.errors).toBeUndefined();
      const strict = createListingsServer({ db: t.db, clock });
      await strict.apollo.start();
      const refused = await execute(strict, SUBJECT, { code: LEGACY });
      await strict.apollo.stop();
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_IDENTIFIER', failed: 'CHECK_CHARACTER' });
    });

    test('a valid LEI is kept; other ID types are stored as typed, unchecked', async () => {
      const res = await write(REGISTER, {
        input: {
          code: '91310000631295002H',
          kind: 'ORGANISATION',
          name: '上海浦东发展银行股份有限公司',
          lei: '8i5dzwzkvszi1nuhu748',
          legalRepresentative: { name: 'John Smith', idType: 'PASSPORT', idNumber: 'E12345678' },
        },
      });
      expect(res.data?.registerSubject).toMatchObject({ lei: '8I5DZWZKVSZI1NUHU748', legalRepresentative: { idType: 'PASSPORT', idNumber: 'E12345678' } });
    });

    test.each([
      ['a code registered twice', org, 'CONFLICT'],
      ['an empty name', { ...org, code: '91340600MA2PBM9HXD', name: '   ' }, 'BAD_USER_INPUT'],
      ['a person with a legal representative', { ...person, code: '360426199101010071', legalRepresentative: org.legalRepresentative }, 'BAD_USER_INPUT'],
      [
        'an unknown ID type',
        { ...org, code: '91340600MA2PBM9HXD', legalRepresentative: { name: '某', idType: 'DRIVING_LICENCE', idNumber: 'X' } },
        'BAD_USER_INPUT',
      ],
      ['a region that is not a division code', { ...org, code: '91340600MA2PBM9HXD', region: 'Beijing' }, 'BAD_USER_INPUT'],
    ])('%s is refused (%#) and nothing is written', async (_, input, code) => {
      const before = await subjectCount();
      const res = await write(REGISTER, { input });
      expect(res.errors?.[0]?.extensions?.code).toBe(code);
      expect(await subjectCount()).toBe(before);
    });
  });

  describe('determineEntry', () => {
    test('a black entry of an organisation is effective at once and recorded in its history', async () => {
      const res = await execute<{ determineEntry: { id: string } }>(service, DETERMINE, { input: entry }, sta);
      expect(res.errors).toBeUndefined();
      expect(res.data!.determineEntry).toMatchObject({
        kind: 'BLACK',
        status: 'EFFECTIVE',
        field: 'TAX',
        determinedOn: '2026-11-02',
        validUntil: '2029-11-02',
        exit: null,
        subject: { code: org.code },
      });
      const history = await t.db.query('SELECT actor, action FROM entry_changes WHERE entry_id = $1', [res.data!.determineEntry.id]);
      expect(history).toEqual([{ actor: 'STA', action: 'DETERMINED' }]);
    });

    test('L4: a red entry starts in publicity (NOTICE)', async () => {
      const res = await write(DETERMINE, { input: { ...entry, code: institution.code, kind: 'RED', field: 'TAX' } });
      expect(res.data?.determineEntry).toMatchObject({ kind: 'RED', status: 'NOTICE' });
    });

    test('L5: a black entry of a natural person starts in prior notice (NOTICE)', async () => {
      const res = await write(DETERMINE, { input: { ...entry, code: person.code } });
      expect(res.data?.determineEntry).toMatchObject({ kind: 'BLACK', status: 'NOTICE' });
    });

    test.each([
      ['an unregistered subject', { ...entry, code: '91340600MA2PBM9HXD' }, 'NOT_FOUND'],
      ['a code that fails its check', { ...entry, code: '91350100M000100Y4A' }, 'BAD_IDENTIFIER'],
      ['a field outside the catalogue', { ...entry, field: 'ASTROLOGY' }, 'BAD_USER_INPUT'],
      ['validity ending before determination', { ...entry, validUntil: '2026-11-01' }, 'BAD_USER_INPUT'],
      ['a determination in the future', { ...entry, determinedOn: '2026-11-24' }, 'BAD_USER_INPUT'],
      ['a date that does not exist', { ...entry, determinedOn: '2026-02-30' }, 'BAD_USER_INPUT'],
      ['L6: a WARNING entry determined by hand', { ...entry, kind: 'WARNING' }, 'BAD_USER_INPUT'],
      ['empty facts', { ...entry, facts: '' }, 'BAD_USER_INPUT'],
    ])('%s is refused and nothing is written', async (_, input, code) => {
      const before = await entryCount();
      const res = await write(DETERMINE, { input });
      expect(res.errors?.[0]?.extensions?.code).toBe(code);
      expect(await entryCount()).toBe(before);
    });

    test('only the determining authority records its determination, and only with listing:write; nothing is written otherwise', async () => {
      const before = await entryCount();
      const other = await execute(service, DETERMINE, { input: entry }, callerOf('department', { department: 'MEE', scopes: ['listing:write'] }));
      expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', argument: 'authority' });
      const unscoped = await execute(service, DETERMINE, { input: entry }, callerOf('department', { department: 'STA', scopes: ['credit:read'] }));
      expect(unscoped.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', scope: 'listing:write' });
      expect(await entryCount()).toBe(before);
    });

    test('entries(kind, status) filters the credit file', async () => {
      const res = await execute<{ subject: { entries: { kind: string }[] } }>(
        service,
        'query($c: ID!) { subject(code: $c) { entries(kind: RED, status: NOTICE) { kind status } } }',
        { c: institution.code },
      );
      expect(res.data!.subject.entries).toEqual([{ kind: 'RED', status: 'NOTICE' }]);
    });
  });

  describe('reading', () => {
    test('searchSubjects takes % and _ literally and bounds first', async () => {
      const literal = await execute<{ searchSubjects: unknown[] }>(service, '{ searchSubjects(text: "%") { code } }');
      expect(literal.data!.searchSubjects).toEqual([]);
      const bounded = await execute(service, '{ searchSubjects(text: "公司", first: 0) { code } }');
      expect(bounded.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
    });

    test('subjects refuses more than 1000 codes at once, and names a bad code by position', async () => {
      const tooMany = await execute(service, 'query($c: [ID!]!) { subjects(codes: $c) { code } }', { c: Array(1001).fill(org.code) });
      expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'codes' });
      const bad = await execute(service, 'query($c: [ID!]!) { subjects(codes: $c) { code } }', { c: [org.code, '91350100M000100Y4A'] });
      expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_IDENTIFIER', argument: 'codes[1]' });
    });
  });
});
