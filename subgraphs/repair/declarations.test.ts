import { randomUUID } from 'node:crypto';
import { LISTINGS_EVENTS, type EntryDetermined } from '../../lib/contracts/events/listings.js';
import { SimulatedClock } from '../../lib/platform/clock.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/kit/backends.js';
import { callerOf } from '../../test/kit/callers.js';
import { freshCreditCode } from '../../test/kit/codes.js';
import { deliveredEvent } from '../../test/kit/events.js';
import { execute } from '../../test/kit/execute.js';
import { DECLARATION_MAX_CHARACTERS } from './declarations.js';
import { onListingsEvent } from './inbound.js';
import { createRepairServer } from './server.js';

/** R9 in the repair subgraph alone: who declares, what a replacement and a withdrawal keep, races, deletion with the entry. */
const DECLARE = 'mutation($i: DeclareInput!) { declare(input: $i) { id version status text madeOn replacedOn withdrawnOn target entry { id } } }';
const WITHDRAW = 'mutation($id: ID!) { withdrawDeclaration(id: $id) { id version status withdrawnOn } }';
const FILE =
  'query($c: ID!, $all: Boolean) { _entities(representations: [{ __typename: "Subject", code: $c }]) { ... on Subject { declarations(all: $all) { id version status text target entry { id } history { version status text } } } } }';
/** How many races each concurrency test runs: one bad outcome fails it. */
const TRIALS = 12;

describe.each(backends)('R9 declarations in the repair subgraph ($name)', (backend) => {
  let t: TestDatabase;
  let service: ReturnType<typeof createRepairServer>;
  const clock = new SimulatedClock('2026-06-01');
  beforeAll(async () => {
    t = await openTestDatabase(backend, 'declarations');
    service = createRepairServer({ db: t.db, clock });
    await service.migrate();
    await service.apollo.start();
  });
  afterAll(async () => {
    await service?.apollo.stop();
    await t?.dispose();
  });
  beforeEach(() => clock.set('2026-06-01'));

  /** A subject with one entry repair has heard of (listings' event has arrived). */
  async function listed(kind: EntryDetermined['kind'] = 'BLACK') {
    const code = freshCreditCode('310115');
    const entryId = randomUUID();
    const determined: EntryDetermined = {
      entryId,
      subjectCode: code,
      region: '310115',
      kind,
      field: 'TAX',
      authority: 'STA',
      status: 'EFFECTIVE',
      determinedOn: '2026-03-03',
      validUntil: '2029-03-03',
      severity: 'SERIOUS',
      repairable: true,
      repairableFrom: null,
    };
    await onListingsEvent(t.db, deliveredEvent({ type: LISTINGS_EVENTS.determined, key: entryId, payload: determined }));
    return { code, entryId, subject: callerOf('subject', { subject: code, scopes: ['repair:apply'] }) };
  }
  const declare = (input: Record<string, unknown>, caller = callerOf('anonymous')) => execute<any>(service, DECLARE, { i: input }, caller);
  const withdraw = (id: string, caller = callerOf('anonymous')) => execute<any>(service, WITHDRAW, { id }, caller);
  const fileOf = async (code: string, all = false) => {
    const res = await execute<any>(service, FILE, { c: code, all });
    expect(res.errors).toBeUndefined();
    return res.data._entities[0].declarations as any[];
  };
  const rows = (code: string) =>
    t.db.query('SELECT entry_id, version, status, text FROM declarations WHERE subject_code = $1 ORDER BY entry_id NULLS FIRST, version', [code]);

  test('R9: the subject attaches a statement to its file and to its entry, each dated and current', async () => {
    const { code, entryId, subject } = await listed();
    const onFile = await declare({ code, text: '  本企业已全面整改  ' }, subject);
    expect(onFile.errors).toBeUndefined();
    expect(onFile.data.declare).toMatchObject({ version: 1, status: 'CURRENT', text: '本企业已全面整改', madeOn: '2026-06-01', target: 'FILE', entry: null });
    const onEntry = await declare({ code, entryId, text: '税款已于认定前缴清' }, subject);
    expect(onEntry.data.declare).toMatchObject({ version: 1, status: 'CURRENT', target: 'ENTRY', entry: { id: entryId }, replacedOn: null, withdrawnOn: null });
    expect((await fileOf(code)).map((d) => [d.target, d.text])).toEqual([
      ['FILE', '本企业已全面整改'],
      ['ENTRY', '税款已于认定前缴清'],
    ]);
    const onTheEntry = await execute<any>(
      service,
      'query($id: ID!) { _entities(representations: [{ __typename: "ListEntry", id: $id }]) { ... on ListEntry { declaration { text } } } }',
      {
        id: entryId,
      },
    );
    expect(onTheEntry.data._entities).toEqual([{ declaration: { text: '税款已于认定前缴清' } }]);
  });

  test('R9: a replacement keeps the version it replaces, marked replaced; one version is current', async () => {
    const { code, entryId, subject } = await listed();
    const first = (await declare({ code, entryId, text: '第一版声明' }, subject)).data.declare;
    clock.set('2026-06-03');
    const second = (await declare({ code, entryId, text: '第二版声明' }, subject)).data.declare;
    expect(second).toMatchObject({ version: 2, status: 'CURRENT', madeOn: '2026-06-03' });
    const current = await fileOf(code);
    expect(current).toEqual([
      expect.objectContaining({ id: second.id, text: '第二版声明', history: [{ version: 1, status: 'REPLACED', text: '第一版声明' }] }),
    ]);
    expect(await t.db.query('SELECT status, replaced_on, withdrawn_on FROM declarations WHERE id = $1', [first.id])).toEqual([
      { status: 'REPLACED', replaced_on: '2026-06-03', withdrawn_on: null },
    ]);
    expect((await fileOf(code, true)).map((d) => [d.version, d.status])).toEqual([
      [1, 'REPLACED'],
      [2, 'CURRENT'],
    ]);
  });

  test('R9: a withdrawal keeps the version, marked withdrawn; an old version cannot be withdrawn, and a new statement starts the next version', async () => {
    const { code, subject } = await listed();
    const first = (await declare({ code, text: '声明一' }, subject)).data.declare;
    const second = (await declare({ code, text: '声明二' }, subject)).data.declare;
    expect((await withdraw(first.id, subject)).errors![0]!.extensions).toMatchObject({ code: 'ILLEGAL_TRANSITION', rule: 'R9' });
    clock.set('2026-06-05');
    expect((await withdraw(second.id, subject)).data.withdrawDeclaration).toEqual({
      id: second.id,
      version: 2,
      status: 'WITHDRAWN',
      withdrawnOn: '2026-06-05',
    });
    expect(await fileOf(code)).toEqual([]);
    expect((await withdraw(second.id, subject)).errors![0]!.extensions).toMatchObject({ code: 'ILLEGAL_TRANSITION', rule: 'R9' });
    const third = (await declare({ code, text: '声明三' }, subject)).data.declare;
    expect(third).toMatchObject({ version: 3, status: 'CURRENT' });
    expect(await rows(code)).toEqual([
      { entry_id: null, version: 1, status: 'REPLACED', text: '声明一' },
      { entry_id: null, version: 2, status: 'WITHDRAWN', text: '声明二' },
      { entry_id: null, version: 3, status: 'CURRENT', text: '声明三' },
    ]);
  });

  test('R9: nobody but the subject declares or withdraws: another subject, a department, the public are refused and nothing changes', async () => {
    const { code, entryId, subject } = await listed();
    const mine = (await declare({ code, entryId, text: '本人声明' }, subject)).data.declare;
    const other = await listed();
    const department = callerOf('department', { department: 'STA', scopes: ['repair:apply', 'repair:decide', 'credit:read'] });
    for (const caller of [other.subject, department, callerOf('bank', { scopes: ['repair:apply'] }), callerOf('anonymous')]) {
      // on the subject's own code: FORBIDDEN before anything is read
      expect((await declare({ code, entryId, text: '代为声明' }, caller)).errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
      expect((await declare({ code, text: '代为声明' }, caller)).errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
    }
    for (const caller of [department, callerOf('anonymous')])
      expect((await withdraw(mine.id, caller)).errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
    // another subject is told what an unknown id tells: nothing about whose the declaration is
    const notMine = await withdraw(mine.id, other.subject);
    const unknown = await withdraw(randomUUID(), other.subject);
    expect(notMine.errors![0]!.extensions).toEqual({ code: 'NOT_FOUND', argument: 'id' });
    expect(unknown.errors![0]!.extensions).toEqual({ code: 'NOT_FOUND', argument: 'id' });
    expect(await rows(code)).toEqual([{ entry_id: entryId, version: 1, status: 'CURRENT', text: '本人声明' }]);
    expect(await rows(other.code)).toEqual([]);
  });

  test("R9: bad input changes nothing — empty or too long text, someone else's entry or an unknown one (answered alike)", async () => {
    const { code, entryId, subject } = await listed();
    const other = await listed();
    expect((await declare({ code, text: ' \n ' }, subject)).errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'text' });
    const long = '长'.repeat(DECLARATION_MAX_CHARACTERS + 1);
    expect((await declare({ code, entryId, text: long }, subject)).errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'text' });
    const theirs = await declare({ code, entryId: other.entryId, text: '对他人条目的声明' }, subject);
    const unknown = await declare({ code, entryId: randomUUID(), text: '对未知条目的声明' }, subject);
    expect(theirs.errors![0]!.extensions).toEqual({ code: 'NOT_FOUND', argument: 'entryId' });
    expect(theirs.errors![0]!.message.replace(other.entryId, 'X')).toBe(unknown.errors![0]!.message.replace(/[0-9a-f-]{36}/, 'X'));
    expect(await rows(code)).toEqual([]);
    expect(await rows(other.code)).toEqual([]);
    // at the limit (after trimming) it is accepted
    const longest = await declare({ code, text: ` ${'长'.repeat(DECLARATION_MAX_CHARACTERS)} ` }, subject);
    expect(longest.data.declare.text).toHaveLength(DECLARATION_MAX_CHARACTERS);
  });

  test(`R9: declarations sent at once on one target leave every version and exactly one current (${TRIALS} races each, file and entry)`, async () => {
    for (let i = 0; i < TRIALS; i++) {
      const { code, entryId, subject } = await listed();
      for (const target of [{}, { entryId }]) {
        const results = await Promise.all(['甲', '乙', '丙'].map((text) => declare({ code, ...target, text }, subject)));
        expect(results.map((r) => r.errors)).toEqual([undefined, undefined, undefined]);
        const versions = await t.db.query<{ version: number; status: string }>(
          'SELECT version, status FROM declarations WHERE subject_code = $1 AND entry_id IS NOT DISTINCT FROM $2::text ORDER BY version',
          [code, 'entryId' in target ? entryId : null],
        );
        expect(versions).toEqual([
          { version: 1, status: 'REPLACED' },
          { version: 2, status: 'REPLACED' },
          { version: 3, status: 'CURRENT' },
        ]);
      }
      // a withdrawal racing a replacement: whichever comes first, the replacement is current at the end
      const current = (await fileOf(code)).find((d) => d.target === 'FILE');
      await Promise.all([withdraw(current.id, subject), declare({ code, text: '丁' }, subject)]);
      const file = await t.db.query("SELECT version, text FROM declarations WHERE subject_code = $1 AND entry_id IS NULL AND status = 'CURRENT'", [code]);
      expect(file).toEqual([{ version: 4, text: '丁' }]);
    }
  });

  test('R9, L8(a): when listings deletes the entry, its declarations go with it; the statement on the file stays', async () => {
    const { code, entryId, subject } = await listed();
    await declare({ code, entryId, text: '条目声明一' }, subject);
    await declare({ code, entryId, text: '条目声明二' }, subject);
    await declare({ code, text: '档案声明' }, subject);
    await onListingsEvent(t.db, deliveredEvent({ type: LISTINGS_EVENTS.deleted, key: entryId, payload: { entryId, subjectCode: code } }));
    expect(await rows(code)).toEqual([{ entry_id: null, version: 1, status: 'CURRENT', text: '档案声明' }]);
    // and nothing more can be said about it: the entry is unknown now
    expect((await declare({ code, entryId, text: '再次声明' }, subject)).errors![0]!.extensions).toEqual({ code: 'NOT_FOUND', argument: 'entryId' });
  });
});
