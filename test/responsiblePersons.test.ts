import { SimulatedClock } from '../lib/platform/clock.js';
import type { RunningSystem } from '../scripts/system.js';
import { backends } from './kit/backends.js';
import { freshCreditCode, freshResidentId } from './kit/codes.js';
import { graphql, startTestSystem } from './kit/system.js';
import { as, fullReader } from './kit/tokens.js';
import { eventually } from './kit/traces.js';

/**
 * L13 through the gateway: an organisation black-listed for unpaid wages binds its legal representative and the persons
 * the authority names. Their credit checks by a department show the memorandum's measures that name them (WAGE-B-03,
 * flights) with the organisation's entry as the reason; their files link the entry; the public sees the persons masked
 * on the organisation's entry and learns nothing from a person's check; it all ends with the entry, and an upheld
 * objection leaves nothing of it.
 */
const CHECK = 'query($c: ID!) { creditCheck(code: $c, scenario: HIGH_CONSUMPTION) { verdict measures { code responsiblePersons } entries { id } } }';
const LINKS = 'query($c: ID!) { subject(code: $c) { responsibleFor { role entry { id status subject { code } } } } }';

describe.each(backends)('L13 responsible persons ($name)', (backend) => {
  let system: RunningSystem;
  const clock = new SimulatedClock('2026-10-15');
  let mohrss: Record<string, string>;
  let caac: Record<string, string>;
  let reader: Record<string, string>;
  beforeAll(async () => {
    system = await startTestSystem(backend, { seed: false, clock });
    mohrss = await as({ caller: 'department', department: 'MOHRSS', scopes: ['credit:read', 'listing:write', 'repair:decide'] });
    // the airline regulator runs checks and reads no more than the public part
    caac = await as({ caller: 'department', department: 'CAAC', scopes: ['check:run'] });
    reader = await fullReader();
  }, 120_000);
  afterAll(() => system?.stop());

  const call = (query: string, variables: Record<string, unknown>, headers: Record<string, string> = mohrss) =>
    graphql<any>(system.gatewayUrl, query, variables, headers).then((r) => {
      expect(r.errors).toBeUndefined();
      return r.data;
    });
  /** A check as the caller gets it; null while the subgraphs disagree for a moment (an entry deleted, its projection not yet). */
  const checkOf = (code: string, headers: Record<string, string>) =>
    graphql<any>(system.gatewayUrl, CHECK, { c: code }, headers).then((r) => r.data?.creditCheck ?? null);

  /** An employer with a legal representative, black-listed for unpaid wages, one more person named; in force at enforcement. */
  async function wagesBlacklist() {
    const employer = freshCreditCode();
    const representative = freshResidentId();
    const manager = freshResidentId();
    await call('mutation($i: RegisterSubjectInput!) { registerSubject(input: $i) { code } }', {
      i: { code: employer, kind: 'ORGANISATION', name: '欠薪建筑有限公司', legalRepresentative: { name: '张法人', idNumber: representative } },
    });
    const determined = await call('mutation($i: DetermineEntryInput!) { determineEntry(input: $i) { id responsiblePersons { role person { code } } } }', {
      i: {
        code: employer,
        kind: 'BLACK',
        field: 'LABOUR',
        facts: '拒不支付农民工工资',
        authority: 'MOHRSS',
        basis: '《保障农民工工资支付条例》',
        determinedOn: '2026-10-14',
        responsiblePersons: [{ name: '李项目经理', idNumber: manager }],
      },
    });
    const entryId = determined.determineEntry.id as string;
    const restricted = await eventually(
      () => checkOf(representative, caac),
      (c) => c?.verdict === 'RESTRICTED',
    );
    expect(restricted.verdict).toBe('RESTRICTED');
    return { employer, representative, manager, entryId, determined: determined.determineEntry };
  }

  test('L13: the legal representative of an employer black-listed for unpaid wages is RESTRICTED for HIGH_CONSUMPTION, with the entry as reason', async () => {
    const { employer, representative, manager, entryId, determined } = await wagesBlacklist();
    // the authority reads without the personal-data scope: the persons' codes are masked even for it (A3)
    expect(determined.responsiblePersons).toEqual([
      { role: 'LEGAL_REPRESENTATIVE', person: { code: expect.stringMatching(/^\d{6}\*{8}\d{3}[\dX]$/) } },
      { role: 'NAMED', person: { code: expect.stringMatching(/^\d{6}\*{8}\d{3}[\dX]$/) } },
    ]);
    // a department entitled to personal data reads them in full
    const inFull = await call('query($c: ID!) { subject(code: $c) { entries { responsiblePersons { role person { code } } } } }', { c: employer }, reader);
    expect(inFull.subject.entries[0].responsiblePersons).toEqual([
      { role: 'LEGAL_REPRESENTATIVE', person: { code: representative } },
      { role: 'NAMED', person: { code: manager } },
    ]);
    for (const person of [representative, manager]) {
      const check = await checkOf(person, caac);
      expect(check).toEqual({ verdict: 'RESTRICTED', measures: [{ code: 'WAGE-B-03', responsiblePersons: true }], entries: [{ id: entryId }] });
    }
    // only the measures whose memorandum names the persons: procurement is the employer's restriction, not theirs
    const procurement = await call('query($c: ID!) { creditCheck(code: $c, scenario: PROCUREMENT) { verdict } }', { c: representative }, caac);
    expect(procurement.creditCheck.verdict).toBe('CLEAR');
  });

  test("L13: the representative's own file links the organisation's entry; a person named who was not yet a subject is registered", async () => {
    const { employer, representative, manager, entryId } = await wagesBlacklist();
    const links = await call(LINKS, { c: representative }, reader);
    expect(links.subject.responsibleFor).toEqual([{ role: 'LEGAL_REPRESENTATIVE', entry: { id: entryId, status: 'EFFECTIVE', subject: { code: employer } } }]);
    const named = await call('query($c: ID!) { subject(code: $c) { kind name responsibleFor { role } } }', { c: manager }, reader);
    expect(named.subject).toEqual({ kind: 'PERSON', name: '李项目经理', responsibleFor: [{ role: 'NAMED' }] });
    // the person sees it in their own file
    const own = await call(LINKS, { c: representative }, await as({ caller: 'subject', subject: representative, scopes: ['repair:apply'] }));
    expect(own.subject.responsibleFor).toEqual(links.subject.responsibleFor);
  });

  test('L13, A3: the public sees the persons masked on the entry, and learns nothing of them from a check or a lookup', async () => {
    const { employer, representative } = await wagesBlacklist();
    const entries = await call('query($c: ID!) { subject(code: $c) { entries { responsiblePersons { role person { code name } } } } }', { c: employer }, {});
    const persons = entries.subject.entries[0].responsiblePersons;
    expect(persons.map((p: any) => p.role)).toEqual(['LEGAL_REPRESENTATIVE', 'NAMED']);
    for (const p of persons) {
      expect(p.person.code).not.toMatch(/^\d{17}[\dX]$/);
      expect(p.person.code).toContain('*');
      expect(p.person.name).not.toBe('张法人');
    }
    expect(JSON.stringify(entries)).not.toContain(representative);
    // a person with nothing of their own public is an unknown code to the public (A6), and a check rests on their own entries
    expect((await call('query($c: ID!) { subject(code: $c) { code } }', { c: representative }, {})).subject).toBeNull();
    const portal = await as({ caller: 'portal', scopes: ['check:run'] });
    expect(await checkOf(representative, portal)).toEqual({ verdict: 'CLEAR', measures: [], entries: [] });
    const bank = await as({ caller: 'bank', scopes: ['check:run', 'list:BLACK'] });
    expect(await checkOf(representative, bank)).toEqual({ verdict: 'CLEAR', measures: [], entries: [] });
  });

  test('L13: the persons are released when the entry exits', async () => {
    const { representative, entryId } = await wagesBlacklist();
    await call('mutation($i: ExitEntryInput!) { exitEntry(input: $i) { id } }', {
      i: { id: entryId, way: 'STANDARD_CHANGED', on: '2026-10-15', reason: '工资已全额支付' },
    });
    const after = await eventually(
      () => checkOf(representative, caac),
      (c) => c?.verdict === 'CLEAR',
    );
    expect(after).toEqual({ verdict: 'CLEAR', measures: [], entries: [] });
    const links = (await call(LINKS, { c: representative }, reader)).subject.responsibleFor;
    // the exited entry, and the focus entry that follows a black exit (L8) binding the same person
    expect(links).toEqual(expect.arrayContaining([expect.objectContaining({ entry: expect.objectContaining({ id: entryId, status: 'EXITED' }) })]));
  });

  test('L13, R2, L8(a): after an upheld objection nothing of the link is left, in any subgraph', async () => {
    const { employer, representative, entryId } = await wagesBlacklist();
    await eventually(
      () => system.databases.repair.query('SELECT 1 FROM entries WHERE entry_id = $1', [entryId]),
      (rows) => rows.length === 1,
    );
    const subject = await as({ caller: 'subject', subject: employer, scopes: ['repair:apply'] });
    const objection = 'id status';
    const filed = await call(
      `mutation($i: FileObjectionInput!) { fileObjection(input: $i) { ${objection} } }`,
      { i: { entryId, grounds: '工资已于认定前支付' } },
      subject,
    );
    const id = filed.fileObjection.id as string;
    await call(`mutation($id: ID!) { acceptObjection(id: $id) { ${objection} } }`, { id });
    await call(`mutation($id: ID!) { verifyObjection(id: $id, findings: "支付凭证真实") { ${objection} } }`, { id });
    await call(`mutation($i: DecideObjectionInput!) { decideObjection(input: $i) { ${objection} } }`, {
      i: { id, upheld: true, reason: '认定错误', apology: '特此致歉', clarification: '该单位不存在欠薪行为' },
    });
    const after = await eventually(
      () => checkOf(representative, caac),
      (c) => c?.verdict === 'CLEAR',
    );
    expect(after).toEqual({ verdict: 'CLEAR', measures: [], entries: [] });
    expect((await call(LINKS, { c: representative }, reader)).subject.responsibleFor).toEqual([]);
    const rows = async () => [
      ...(await system.databases.listings.query('SELECT 1 FROM responsible_persons WHERE entry_id = $1', [entryId])),
      ...(await system.databases.enforcement.query('SELECT 1 FROM responsible_in_force WHERE entry_id = $1', [entryId])),
    ];
    expect(await eventually(rows, (r) => r.length === 0)).toEqual([]);
  });

  test('L13: bad input names what is wrong and writes nothing', async () => {
    const employer = freshCreditCode();
    await call('mutation($i: RegisterSubjectInput!) { registerSubject(input: $i) { code } }', {
      i: { code: employer, kind: 'ORGANISATION', name: '输入检查有限公司' },
    });
    const person = freshResidentId();
    const base = { code: employer, field: 'LABOUR', facts: '欠薪', authority: 'MOHRSS', basis: '依据', determinedOn: '2026-10-14' };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, kind: 'RED', responsiblePersons: [{ name: '某', idNumber: person }] }, 'responsiblePersons'],
      [{ ...base, kind: 'BLACK', responsiblePersons: [{ name: '某', idNumber: '110105194912310021' }] }, 'responsiblePersons[0].idNumber'],
      [{ ...base, kind: 'BLACK', responsiblePersons: [{ name: '某', idType: 'PASSPORT', idNumber: 'E1234567' }] }, 'responsiblePersons[0].idType'],
      [
        {
          ...base,
          kind: 'BLACK',
          responsiblePersons: [
            { name: '某', idNumber: person },
            { name: '某', idNumber: person },
          ],
        },
        'responsiblePersons[1].idNumber',
      ],
    ];
    for (const [input, argument] of cases) {
      const res = await graphql<any>(system.gatewayUrl, 'mutation($i: DetermineEntryInput!) { determineEntry(input: $i) { id } }', { i: input }, mohrss);
      expect(res.errors?.[0]?.extensions).toMatchObject({ argument });
    }
    expect(await system.databases.listings.query('SELECT 1 FROM list_entries WHERE subject_code = $1', [employer])).toEqual([]);
    expect(await system.databases.listings.query('SELECT 1 FROM subjects WHERE code = $1', [person])).toEqual([]);
  });
});
