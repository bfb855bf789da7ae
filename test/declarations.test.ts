import { SimulatedClock } from '../lib/platform/clock.js';
import type { RunningSystem } from '../scripts/system.js';
import { backends } from './kit/backends.js';
import { freshCreditCode, freshResidentId } from './kit/codes.js';
import { graphql, startTestSystem } from './kit/system.js';
import { as } from './kit/tokens.js';
import { eventually, tracesOf } from './kit/traces.js';

/**
 * R9 through the gateway: the subject's declarations are shown with what they are attached to, to exactly those who
 * see it (A1: an entry's row rule; A6: a hidden person stays hidden), and only the subject writes them.
 */
const DECLARATION = 'id version status text madeOn replacedOn withdrawnOn target entry { id }';

describe.each(backends)('R9 subject declarations through the gateway ($name)', (backend) => {
  let system: RunningSystem;
  const clock = new SimulatedClock('2026-06-01');
  let sta: Record<string, string>;
  beforeAll(async () => {
    system = await startTestSystem(backend, { seed: false, clock });
    sta = await as({ caller: 'department', department: 'STA', scopes: ['credit:read', 'listing:write', 'repair:decide'] });
  });
  afterAll(() => system?.stop());
  beforeEach(() => clock.set('2026-06-01'));

  const call = (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    graphql<any>(system.gatewayUrl, query, variables, headers);
  const subjectToken = (code: string) => as({ caller: 'subject', subject: code, scopes: ['repair:apply'] });

  async function register(code: string, kind: 'ORGANISATION' | 'PERSON') {
    const res = await call(
      'mutation($c: ID!, $k: SubjectKind!) { registerSubject(input: { code: $c, kind: $k, name: "声明测试" }) { code } }',
      { c: code, k: kind },
      sta,
    );
    expect(res.errors).toBeUndefined();
  }
  /** An entry determined by STA, once the repair subgraph has heard of it. */
  async function determine(code: string, entry: Record<string, unknown>) {
    const input = { code, kind: 'BLACK', field: 'TAX', facts: `事实 ${code}`, authority: 'STA', basis: '依据', determinedOn: '2026-05-25', ...entry };
    const res = await call('mutation($i: DetermineEntryInput!) { determineEntry(input: $i) { id } }', { i: input }, sta);
    expect(res.errors).toBeUndefined();
    const entryId = res.data.determineEntry.id as string;
    const known = await eventually(
      () => system.databases.repair.query('SELECT 1 FROM entries WHERE entry_id = $1', [entryId]),
      (rows) => rows.length === 1,
    );
    expect(known).toHaveLength(1);
    return entryId;
  }
  const declare = (headers: Record<string, string>, input: Record<string, unknown>) =>
    call(`mutation($i: DeclareInput!) { declare(input: $i) { ${DECLARATION} } }`, { i: input }, headers);
  const withdraw = (headers: Record<string, string>, id: string) =>
    call(`mutation($id: ID!) { withdrawDeclaration(id: $id) { ${DECLARATION} } }`, { id }, headers);
  const VIEW = 'query($c: ID!) { subject(code: $c) { declarations { text target entry { id } } entries { id kind declaration { text } } } }';
  /** What a caller sees of a file's declarations: on the file, and with each entry it sees (in a stable order: by text, by kind). */
  const view = async (code: string, headers: Record<string, string>) => {
    const res = await call(VIEW, { c: code }, headers);
    expect(res.errors).toBeUndefined();
    const { declarations, entries } = res.data.subject as { declarations: { text: string }[]; entries: { kind: string }[] };
    return {
      declarations: [...declarations].sort((a, b) => a.text.localeCompare(b.text)),
      entries: [...entries].sort((a, b) => a.kind.localeCompare(b.kind)),
    };
  };
  const rowsOf = (code: string) =>
    system.databases.repair.query('SELECT entry_id, version, status FROM declarations WHERE subject_code = $1 ORDER BY entry_id NULLS FIRST, version', [code]);

  /** An organisation with a public black entry and an unpublished focus entry, a statement on each and on its file. */
  async function declaredOrganisation() {
    const code = freshCreditCode('310115');
    await register(code, 'ORGANISATION');
    const black = await determine(code, { kind: 'BLACK' });
    const focus = await determine(code, { kind: 'FOCUS', field: 'ENVIRONMENT', published: false });
    const subject = await subjectToken(code);
    for (const input of [
      { code, text: '档案声明' },
      { code, entryId: black, text: '失信声明' },
      { code, entryId: focus, text: '关注声明' },
    ]) {
      const res = await declare(subject, input);
      expect(res.errors).toBeUndefined();
    }
    return { code, black, focus, subject };
  }

  test('R9: the subject attaches, replaces and withdraws; every version is kept and one is current', async () => {
    const code = freshCreditCode('310115');
    await register(code, 'ORGANISATION');
    const entryId = await determine(code, { kind: 'BLACK' });
    const subject = await subjectToken(code);
    const first = (await declare(subject, { code, entryId, text: '  税款已缴清  ' })).data.declare;
    expect(first).toMatchObject({ version: 1, status: 'CURRENT', text: '税款已缴清', madeOn: '2026-06-01', target: 'ENTRY', entry: { id: entryId } });
    clock.set('2026-06-02');
    const second = (await declare(subject, { code, entryId, text: '补充：已完成整改' })).data.declare;
    expect(second).toMatchObject({ version: 2, status: 'CURRENT', madeOn: '2026-06-02' });
    const own = await call(
      'query($c: ID!) { subject(code: $c) { entries { declaration { text history { version status text replacedOn } } } declarations(all: true) { version status } } }',
      { c: code },
      subject,
    );
    expect(own.data.subject).toEqual({
      entries: [{ declaration: { text: '补充：已完成整改', history: [{ version: 1, status: 'REPLACED', text: '税款已缴清', replacedOn: '2026-06-02' }] } }],
      declarations: [
        { version: 1, status: 'REPLACED' },
        { version: 2, status: 'CURRENT' },
      ],
    });
    clock.set('2026-06-03');
    expect((await withdraw(subject, second.id)).data.withdrawDeclaration).toMatchObject({ status: 'WITHDRAWN', withdrawnOn: '2026-06-03' });
    expect(await view(code, subject)).toEqual({ declarations: [], entries: [{ id: entryId, kind: 'BLACK', declaration: null }] });
    expect(await rowsOf(code)).toEqual([
      { entry_id: entryId, version: 1, status: 'REPLACED' },
      { entry_id: entryId, version: 2, status: 'WITHDRAWN' },
    ]);
  });

  test('R9, A1: shown with the entry and in the file to whoever sees the entry, and hidden with it from whoever does not', async () => {
    const { code, black, focus, subject } = await declaredOrganisation();
    const [onFile, onBlack, onFocus] = [
      { text: '档案声明', target: 'FILE', entry: null },
      { text: '失信声明', target: 'ENTRY', entry: { id: black } },
      { text: '关注声明', target: 'ENTRY', entry: { id: focus } },
    ];
    const everything = {
      declarations: [onFile, onBlack, onFocus].sort((a, b) => a.text.localeCompare(b.text)),
      entries: [
        { id: black, kind: 'BLACK', declaration: { text: '失信声明' } },
        { id: focus, kind: 'FOCUS', declaration: { text: '关注声明' } },
      ],
    };
    // the subject itself, and a department reading beyond the public part: every statement
    expect(await view(code, subject)).toEqual(everything);
    expect(await view(code, sta)).toEqual(everything);
    // the public, a department without credit:read, another subject: the unpublished focus entry and its statement are not there
    const publicPart = {
      declarations: [onFile, onBlack].sort((a, b) => a.text.localeCompare(b.text)),
      entries: [{ id: black, kind: 'BLACK', declaration: { text: '失信声明' } }],
    };
    const other = await subjectToken(freshCreditCode('310115'));
    const checker = await as({ caller: 'department', department: 'MOF', scopes: ['check:run'] });
    for (const headers of [{}, checker, other]) expect(await view(code, headers)).toEqual(publicPart);
    // A4: a bank sees the statements of the lists its scopes name; the file's statement with the file
    const redOnly = await as({ caller: 'bank', scopes: ['list:RED'] });
    expect(await view(code, redOnly)).toEqual({ declarations: [onFile], entries: [] });
    const blackOnly = await as({ caller: 'bank', scopes: ['list:BLACK'] });
    expect(await view(code, blackOnly)).toEqual(publicPart);
  });

  test('R9: versions replaced or withdrawn are the record: the subject and departments reading beyond the public see them, the public only the current statement', async () => {
    const { code, subject } = await declaredOrganisation();
    await declare(subject, { code, text: '档案声明（修订）' });
    const ALL = 'query($c: ID!) { subject(code: $c) { declarations(all: true) { text status history { text } } } }';
    const mine = (await call(ALL, { c: code }, subject)).data.subject.declarations;
    expect(mine.filter((d: any) => d.status === 'REPLACED').map((d: any) => d.text)).toEqual(['档案声明']);
    expect((await call(ALL, { c: code }, sta)).data.subject.declarations).toEqual(mine);
    expect(mine.find((d: any) => d.text === '档案声明（修订）').history).toEqual([{ text: '档案声明' }]);
    const publicly = (await call(ALL, { c: code })).data.subject.declarations;
    expect(publicly).toEqual([
      { text: '档案声明（修订）', status: 'CURRENT', history: [] },
      { text: '失信声明', status: 'CURRENT', history: [] },
    ]);
  });

  test('R9, A6: a person whose entries the public may not see stays an unknown code, declarations and all', async () => {
    const code = freshResidentId('310115');
    await register(code, 'PERSON');
    const focus = await determine(code, { kind: 'FOCUS', published: false });
    const subject = await subjectToken(code);
    expect((await declare(subject, { code, text: '本人声明' })).errors).toBeUndefined();
    expect((await declare(subject, { code, entryId: focus, text: '对关注名单的说明' })).errors).toBeUndefined();
    const QUERY = 'query($c: ID!) { subject(code: $c) { code declarations { text } entries { declaration { text } } } }';
    const hidden = await call(QUERY, { c: code });
    const unknown = await call(QUERY, { c: freshResidentId('310115') });
    expect(hidden.data).toEqual({ subject: null });
    expect({ status: hidden.status, data: hidden.data, errors: hidden.errors }).toEqual({ status: unknown.status, data: unknown.data, errors: unknown.errors });
    // the subject and a department reading beyond the public part see both
    for (const headers of [subject, sta]) {
      const seen = (await call(QUERY, { c: code }, headers)).data.subject;
      expect(seen.declarations.map((d: any) => d.text)).toEqual(['本人声明', '对关注名单的说明']);
      expect(seen.entries).toEqual([{ declaration: { text: '对关注名单的说明' } }]);
    }
  });

  test('R9: only the subject writes: a department, a bank, the public and another subject are refused, and bad input changes nothing', async () => {
    const { code, black, subject } = await declaredOrganisation();
    const before = await rowsOf(code);
    const current = (await call('query($c: ID!) { subject(code: $c) { declarations { id } } }', { c: code }, subject)).data.subject.declarations[0].id;
    // without the scope the gateway refuses the operation before it runs (403); with it, the repair subgraph refuses
    const refused = [
      {},
      await as({ caller: 'department', department: 'STA', scopes: ['credit:read', 'repair:decide'] }),
      await as({ caller: 'department', department: 'STA', scopes: ['repair:apply'] }),
      await as({ caller: 'bank', scopes: ['repair:apply', 'list:BLACK'] }),
      await subjectToken(freshCreditCode('310115')),
    ];
    for (const headers of refused) {
      const res = await declare(headers, { code, entryId: black, text: '代为声明' });
      expect({ status: res.status, code: res.errors?.[0]?.extensions?.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    }
    for (const headers of refused.slice(0, 4)) expect((await withdraw(headers, current)).errors![0]!.extensions!.code).toBe('FORBIDDEN');
    // another subject learns nothing of whose the declaration is: as for an id nobody made
    const stranger = refused[4]!;
    expect((await withdraw(stranger, current)).errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', argument: 'id' });

    // the subject's own mistakes: empty, too long, someone else's entry, an entry nobody listed
    const another = freshCreditCode('310115');
    await register(another, 'ORGANISATION');
    const theirs = await determine(another, { kind: 'BLACK' });
    const mistakes: [Record<string, unknown>, Record<string, unknown>][] = [
      [
        { code, text: '   ' },
        { code: 'BAD_USER_INPUT', argument: 'text' },
      ],
      [
        { code, entryId: black, text: '长'.repeat(2001) },
        { code: 'BAD_USER_INPUT', argument: 'text' },
      ],
      [
        { code, entryId: theirs, text: '他人条目' },
        { code: 'NOT_FOUND', argument: 'entryId' },
      ],
      [
        { code, entryId: '00000000-0000-4000-8000-000000000000', text: '未知条目' },
        { code: 'NOT_FOUND', argument: 'entryId' },
      ],
    ];
    for (const [input, error] of mistakes) expect((await declare(subject, input)).errors![0]!.extensions).toMatchObject(error);
    expect(await rowsOf(code)).toEqual(before);
    expect(await rowsOf(another)).toEqual([]);
  });

  test('R9: two declarations sent at once on one entry leave both versions and exactly one current (several times)', async () => {
    const code = freshCreditCode('310115');
    await register(code, 'ORGANISATION');
    const entryId = await determine(code, { kind: 'BLACK' });
    const subject = await subjectToken(code);
    for (let i = 0; i < 6; i++) {
      const both = await Promise.all([declare(subject, { code, entryId, text: `甲 ${i}` }), declare(subject, { code, entryId, text: `乙 ${i}` })]);
      expect(both.map((r) => r.errors)).toEqual([undefined, undefined]);
    }
    const rows = await rowsOf(code);
    expect(rows.map((r: any) => r.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(rows.filter((r: any) => r.status === 'CURRENT')).toEqual([{ entry_id: entryId, version: 12, status: 'CURRENT' }]);
  });

  test('R9, L8(a): an entry deleted after an upheld objection takes its declarations with it; the statement on the file stays', async () => {
    const { code, black, subject } = await declaredOrganisation();
    const words = `对将被删除的条目的声明 ${code}`;
    expect((await declare(subject, { code, entryId: black, text: words })).errors).toBeUndefined();
    const filed = await call('mutation($i: FileObjectionInput!) { fileObjection(input: $i) { id } }', { i: { entryId: black, grounds: '认定有误' } }, subject);
    const id = filed.data.fileObjection.id as string;
    await call('mutation($id: ID!) { acceptObjection(id: $id) { id } }', { id }, sta);
    await call('mutation($id: ID!) { verifyObjection(id: $id, findings: "核实") { id } }', { id }, sta);
    const decided = await call(
      'mutation($i: DecideObjectionInput!) { decideObjection(input: $i) { status } }',
      { i: { id, upheld: true, reason: '认定错误', apology: '特此致歉', clarification: '特此澄清' } },
      sta,
    );
    expect(decided.data.decideObjection.status).toBe('UPHELD');
    const traces = await eventually(
      () => tracesOf(system.databases.repair, black),
      (t) => Object.keys(t).length === 0,
    );
    expect(traces).toEqual({});
    expect(await tracesOf(system.databases.repair, words)).toEqual({});
    expect((await rowsOf(code)).map((r: any) => r.entry_id)).not.toContain(black);
    const own = await view(code, subject);
    expect(own.declarations.map((d: any) => d.text)).toEqual(['关注声明', '档案声明'].sort((a, b) => a.localeCompare(b)));
    expect(own.entries.map((e: any) => e.kind)).toEqual(['FOCUS']);
  });
});
