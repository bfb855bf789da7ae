import { SimulatedClock } from '../lib/platform/clock.js';
import type { RunningSystem } from '../scripts/system.js';
import { backends } from './kit/backends.js';
import { freshCreditCode, freshResidentId } from './kit/codes.js';
import { graphql, startTestSystem } from './kit/system.js';
import { as } from './kit/tokens.js';
import { eventually } from './kit/traces.js';

/**
 * L14 through the gateway: a listing that may not be published is notified, instead, to the subject's competent
 * department or employer, recorded, and acknowledged by its recipient (as E2); nobody else learns it exists.
 */
const NOTICE = 'id entryId kind field recipientKind recipient authority notifiedOn acknowledgedOn subject { code }';

describe.each(backends)('L14 listings that may not be published ($name)', (backend) => {
  let system: RunningSystem;
  const clock = new SimulatedClock('2026-10-15');
  let sta: Record<string, string>;
  let miit: Record<string, string>;
  let mof: Record<string, string>;
  beforeAll(async () => {
    system = await startTestSystem(backend, { seed: false, clock });
    sta = await as({ caller: 'department', department: 'STA', scopes: ['credit:read', 'listing:write'] });
    miit = await as({ caller: 'department', department: 'MIIT', scopes: ['enforcement:act'] });
    mof = await as({ caller: 'department', department: 'MOF', scopes: ['enforcement:act'] });
  }, 120_000);
  afterAll(() => system?.stop());

  const send = (query: string, variables: Record<string, unknown>, headers: Record<string, string>) =>
    graphql<any>(system.gatewayUrl, query, variables, headers);
  const call = async (query: string, variables: Record<string, unknown>, headers: Record<string, string>) => {
    const res = await send(query, variables, headers);
    expect(res.errors).toBeUndefined();
    return res.data;
  };
  const register = async (code: string, kind: 'ORGANISATION' | 'PERSON', name: string) =>
    call('mutation($i: RegisterSubjectInput!) { registerSubject(input: $i) { code } }', { i: { code, kind, name } }, sta);
  const determine = (input: Record<string, unknown>) =>
    send(
      'mutation($i: DetermineEntryInput!) { determineEntry(input: $i) { id } }',
      {
        i: { field: 'TAX', facts: '不得公开的失信事实', authority: 'STA', basis: '依据', determinedOn: '2026-10-14', ...input },
      },
      sta,
    );
  const received = (headers: Record<string, string>) => call(`{ noticesReceived { ${NOTICE} } }`, {}, headers).then((d) => d.noticesReceived as any[]);
  const receivedOne = (headers: Record<string, string>, entryId: string) =>
    eventually(
      () => received(headers),
      (notices) => notices.some((n) => n.entryId === entryId),
    ).then((notices) => notices.find((n) => n.entryId === entryId));

  test('L14: a black listing that may not be published goes to the competent department instead, which acknowledges it (as E2)', async () => {
    const code = freshCreditCode();
    await register(code, 'ORGANISATION', '不公开名单有限公司');
    const res = await determine({ code, kind: 'BLACK', published: false, notify: { kind: 'DEPARTMENT', to: 'MIIT' } });
    expect(res.errors).toBeUndefined();
    const entryId = res.data.determineEntry.id as string;
    const notice = await receivedOne(miit, entryId);
    expect(notice).toMatchObject({
      kind: 'BLACK',
      field: 'TAX',
      recipientKind: 'DEPARTMENT',
      recipient: 'MIIT',
      authority: 'STA',
      notifiedOn: '2026-10-14',
      acknowledgedOn: null,
      subject: { code },
    });
    // the entry itself stays beyond a recipient that reads only the public part: it learns the listing from the notice
    const entry = await send(`{ noticesReceived { entryId entry { id } } }`, {}, miit);
    expect(entry.data.noticesReceived.find((n: any) => n.entryId === entryId).entry).toBeNull();
    const acknowledged = await call(`mutation($id: ID!) { acknowledgeNotice(id: $id) { ${NOTICE} } }`, { id: notice.id }, miit);
    expect(acknowledged.acknowledgeNotice).toMatchObject({ id: notice.id, acknowledgedOn: '2026-10-15' });
    clock.set('2026-10-16');
    const again = await call(`mutation($id: ID!) { acknowledgeNotice(id: $id) { acknowledgedOn } }`, { id: notice.id }, miit);
    expect(again.acknowledgeNotice).toEqual({ acknowledgedOn: '2026-10-15' }); // once: the first acknowledgement stands
    clock.set('2026-10-15');

    // another department neither receives it nor can acknowledge it, nor learn that it exists
    expect((await received(mof)).some((n) => n.entryId === entryId)).toBe(false);
    const foreign = await send('mutation($id: ID!) { acknowledgeNotice(id: $id) { id } }', { id: notice.id }, mof);
    expect(foreign.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const unknown = await send('mutation($id: ID!) { acknowledgeNotice(id: $id) { id } }', { id: '00000000-0000-4000-8000-000000000000' }, mof);
    expect(unknown.errors?.[0]?.message.replace(unknown.errors![0]!.message.match(/notice \S+/)![0], '')).toBe(
      foreign.errors![0]!.message.replace(foreign.errors![0]!.message.match(/notice \S+/)![0], ''),
    );

    // not published: the public sees neither the entry nor the notice
    const publicFile = await call('query($c: ID!) { subject(code: $c) { entries { id } listingNotices { id } } }', { c: code }, {});
    expect(publicFile.subject).toEqual({ entries: [], listingNotices: [] });
  });

  test("L14: a person's focus listing that may not be published goes to the employer, read and acknowledged with its own token", async () => {
    const employer = freshCreditCode();
    const person = freshResidentId();
    await register(employer, 'ORGANISATION', '用人单位有限公司');
    await register(person, 'PERSON', '王员工');
    const res = await determine({ code: person, kind: 'FOCUS', published: false, notify: { kind: 'EMPLOYER', to: employer } });
    expect(res.errors).toBeUndefined();
    const entryId = res.data.determineEntry.id as string;
    const employerToken = await as({ caller: 'subject', subject: employer, scopes: ['notice:receive'] });
    const notice = await receivedOne(employerToken, entryId);
    expect(notice).toMatchObject({ recipientKind: 'EMPLOYER', recipient: employer, acknowledgedOn: null });
    // the employee's ID number is personal data: masked for the employer, as for anyone reading another's file
    expect(notice.subject.code).not.toBe(person);
    expect(notice.subject.code).toContain('*');
    const acknowledged = await call('mutation($id: ID!) { acknowledgeNotice(id: $id) { acknowledgedOn } }', { id: notice.id }, employerToken);
    expect(acknowledged.acknowledgeNotice).toEqual({ acknowledgedOn: '2026-10-15' });
    // another organisation's token is not its recipient
    const other = await as({ caller: 'subject', subject: freshCreditCode(), scopes: ['notice:receive'] });
    expect(await received(other)).toEqual([]);
    expect((await send('mutation($id: ID!) { acknowledgeNotice(id: $id) { id } }', { id: notice.id }, other)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // the determining authority follows it in the person's file
    const file = await call('query($c: ID!) { subject(code: $c) { listingNotices { id acknowledgedOn } } }', { c: person }, sta);
    expect(file.subject.listingNotices).toEqual([{ id: notice.id, acknowledgedOn: '2026-10-15' }]);
  });

  test('L14: bad input names what is wrong and writes nothing', async () => {
    const code = freshCreditCode();
    await register(code, 'ORGANISATION', '输入检查有限公司');
    const cases: [Record<string, unknown>, string][] = [
      [{ code, kind: 'BLACK', published: false }, 'notify'],
      [{ code, kind: 'RED', published: false }, 'notify'],
      [{ code, kind: 'BLACK', notify: { kind: 'DEPARTMENT', to: 'MIIT' } }, 'notify'],
      [{ code, kind: 'BLACK', published: false, notify: { kind: 'DEPARTMENT', to: 'not a code!' } }, 'notify.to'],
      [{ code, kind: 'BLACK', published: false, notify: { kind: 'EMPLOYER', to: freshCreditCode() } }, 'notify.to'],
      [{ code, kind: 'BLACK', published: false, notify: { kind: 'EMPLOYER', to: code } }, 'notify.to'],
    ];
    for (const [input, argument] of cases) {
      const res = await determine(input);
      expect({ argument, extensions: res.errors?.[0]?.extensions }).toMatchObject({ argument, extensions: { code: 'BAD_USER_INPUT', argument } });
    }
    expect(await system.databases.listings.query('SELECT 1 FROM list_entries WHERE subject_code = $1', [code])).toEqual([]);
  });

  test('L14, L8(a): a wrongful listing takes its notice with it', async () => {
    const code = freshCreditCode();
    await register(code, 'ORGANISATION', '错误认定有限公司');
    const entryId = (await determine({ code, kind: 'BLACK', published: false, notify: { kind: 'DEPARTMENT', to: 'MIIT' } })).data.determineEntry.id as string;
    await receivedOne(miit, entryId);
    await call(
      'mutation($i: ExitEntryInput!) { exitEntry(input: $i) { id } }',
      { i: { id: entryId, way: 'WRONGFUL', on: '2026-10-15', reason: '认定错误' } },
      sta,
    );
    const left = await eventually(
      () => system.databases.enforcement.query('SELECT 1 FROM listing_notices WHERE entry_id = $1', [entryId]),
      (rows) => rows.length === 0,
    );
    expect(left).toEqual([]);
    expect((await received(miit)).some((n) => n.entryId === entryId)).toBe(false);
  });
});
