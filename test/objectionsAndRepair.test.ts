import { chinaCalendar } from '../lib/domain/calendar/index.js';
import { SimulatedClock } from '../lib/platform/clock.js';
import { creditCodeCheckChar, residentIdCheckChar } from '../lib/domain/identifiers/index.js';
import type { RunningSystem } from '../scripts/system.js';
import { DEFAULT_REPAIR_TERMS } from '../subgraphs/repair/terms.js';
import { backends } from './kit/backends.js';
import { graphql, startTestSystem } from './kit/system.js';
import { as } from './kit/tokens.js';
import { eventually, tracesOf } from './kit/traces.js';

/** Objections and credit repair (R1–R8) through the gateway, on a simulated clock, with listings and enforcement reacting. */
let serial = 0;
const codeIn = (region: string) => {
  const first17 = `91${region}MA${String(process.pid % 1e4).padStart(4, '0')}${String(serial++).padStart(3, '0')}`;
  return first17 + creditCodeCheckChar(first17);
};
const SHANGHAI = '310115';
const ZHEJIANG = '330106';
const BEIJING = '110108';

const OBJECTION =
  'id kind status filedBy grounds dueBy overdue extended extensionReason acceptedOn verifiedOn findings decidedOn reason entry { id } correction { correctedOn apology clarification } reconsiders { id }';
const APPLICATION = 'id status appliedOn dueBy answerBy overdue decidedOn reason entry { id }';
const OUTLOOK = 'entry { id } severity repairable earliestOn publicationEndsOn lacks';

describe.each(backends)('objections and credit repair ($name)', (backend) => {
  let system: RunningSystem;
  const clock = new SimulatedClock('2026-06-01');
  let sta: Record<string, string>;
  let mee: Record<string, string>;
  beforeAll(async () => {
    system = await startTestSystem(backend, { seed: false, clock });
    sta = await as({ caller: 'department', department: 'STA', scopes: ['credit:read', 'listing:write', 'repair:decide', 'check:run'] });
    mee = await as({ caller: 'department', department: 'MEE', scopes: ['credit:read', 'listing:write', 'repair:decide', 'repair:report'] });
  });
  afterAll(() => system?.stop());
  beforeEach(() => clock.set('2026-06-01'));

  const call = (query: string, variables: Record<string, unknown> = {}, headers = sta) => graphql<any>(system.gatewayUrl, query, variables, headers);
  const subjectToken = (code: string) => as({ caller: 'subject', subject: code, scopes: ['repair:apply'] });

  /** A subject with one entry that the repair subgraph has heard of (listings' event has arrived). */
  async function listed(region: string, entry: Record<string, unknown> = {}, headers = sta) {
    const code = codeIn(region);
    const authority = headers === mee ? 'MEE' : 'STA';
    await call('mutation($c: ID!) { registerSubject(input: { code: $c, kind: ORGANISATION, name: "修复测试有限公司" }) { code } }', { c: code }, headers);
    const input = {
      code,
      kind: 'BLACK',
      field: authority === 'MEE' ? 'ENVIRONMENT' : 'TAX',
      facts: `偷税 ${code}`,
      authority,
      basis: '税收征收管理法',
      determinedOn: '2026-05-25',
      ...entry,
    };
    const res = await call('mutation($i: DetermineEntryInput!) { determineEntry(input: $i) { id validUntil } }', { i: input }, headers);
    expect(res.errors).toBeUndefined();
    const entryId = res.data.determineEntry.id as string;
    const known = await eventually(
      () => system.databases.repair.query('SELECT 1 FROM entries WHERE entry_id = $1', [entryId]),
      (rows) => rows.length === 1,
    );
    expect(known).toHaveLength(1);
    return { code, entryId, subject: await subjectToken(code), validUntil: res.data.determineEntry.validUntil as string };
  }
  const file = (code: string, what: string, headers: Record<string, string>) =>
    call(`query($c: ID!) { subject(code: $c) { ${what} } }`, { c: code }, headers).then((r) => {
      expect(r.errors).toBeUndefined();
      return r.data.subject;
    });
  const entriesOf = async (code: string) => (await file(code, 'entries { id kind status exit { way } }', sta)).entries as any[];
  const object = (entryId: string, headers: Record<string, string>, extra: Record<string, unknown> = {}) =>
    call(
      `mutation($i: FileObjectionInput!) { fileObjection(input: $i) { ${OBJECTION} } }`,
      { i: { entryId, grounds: '认定事实有误，税款已于认定前缴清', ...extra } },
      headers,
    );
  const step = (mutation: string, args: string, variables: Record<string, unknown>, headers = sta) =>
    call(
      `mutation { ${mutation}(${args}) { ${OBJECTION} } }`.replace(/\$(\w+)/g, (_, k: string) => JSON.stringify(variables[k])),
      {},
      headers,
    );
  const accept = (id: string, headers = sta) => step('acceptObjection', 'id: $id', { id }, headers);
  const verify = (id: string, headers = sta) => step('verifyObjection', 'id: $id, findings: $f', { id, f: '经核查，缴税凭证真实' }, headers);
  const decide = (input: Record<string, unknown>, headers = sta) =>
    call(`mutation($i: DecideObjectionInput!) { decideObjection(input: $i) { ${OBJECTION} } }`, { i: input }, headers);
  const add = (days: number) => chinaCalendar.addWorkingDays(clock.today(), days);

  test("R1: the subject objects; the authority accepts, verifies and rejects with reasons, each step within its jurisdiction's working days", async () => {
    const { code, entryId, subject } = await listed(SHANGHAI);
    const limits = DEFAULT_REPAIR_TERMS.jurisdictions['31']!;
    clock.set('2026-06-18'); // a Thursday before the Dragon Boat holiday (19–21 June)
    const filed = (await object(entryId, subject)).data.fileObjection;
    // Shanghai marks an objection within 1 working day: the holiday and the weekend do not count
    expect(filed).toMatchObject({ kind: 'OBJECTION', status: 'FILED', dueBy: '2026-06-22', overdue: false, entry: { id: entryId } });
    const accepted = (await accept(filed.id)).data.acceptObjection;
    expect(accepted).toMatchObject({ status: 'ACCEPTED', acceptedOn: '2026-06-18', dueBy: add(limits.verifyWorkingDays) });
    const verified = (await verify(filed.id)).data.verifyObjection;
    expect(verified).toMatchObject({
      status: 'VERIFIED',
      findings: '经核查，缴税凭证真实',
      dueBy: chinaCalendar.addWorkingDays('2026-06-18', limits.decideWorkingDays),
    });
    const rejected = (await decide({ id: filed.id, upheld: false, reason: '缴税时间晚于认定日，认定无误' })).data.decideObjection;
    expect(rejected).toMatchObject({ status: 'REJECTED', decidedOn: '2026-06-18', reason: '缴税时间晚于认定日，认定无误', dueBy: null, correction: null });
    // steps out of order are illegal transitions, and a rejection changes nothing in the lists
    expect((await accept(filed.id)).errors![0]!.extensions).toMatchObject({ code: 'ILLEGAL_TRANSITION', rule: 'R1' });
    expect((await entriesOf(code)).map((e) => e.status)).toEqual(['EFFECTIVE']);
  });

  test("R1: an overdue step shows in the authority's list; Zhejiang may extend its decision limit once, Shanghai not at all", async () => {
    const zj = await listed(ZHEJIANG);
    const sh = await listed(SHANGHAI);
    const zjObjection = (await object(zj.entryId, zj.subject)).data.fileObjection;
    const shObjection = (await object(sh.entryId, sh.subject)).data.fileObjection;
    const toDecide = async () => (await call('{ objectionsToDecide { id overdue dueBy } }')).data.objectionsToDecide as any[];
    expect((await toDecide()).filter((o) => [zjObjection.id, shObjection.id].includes(o.id)).map((o) => o.overdue)).toEqual([false, false]);
    clock.set(chinaCalendar.addWorkingDays(zjObjection.dueBy, 1));
    const late = (await toDecide()).find((o) => o.id === zjObjection.id);
    expect(late).toEqual({ id: zjObjection.id, overdue: true, dueBy: zjObjection.dueBy });
    // another department does not see STA's work
    expect((await call('{ objectionsToDecide { id } }', {}, mee)).data.objectionsToDecide.map((o: any) => o.id)).not.toContain(zjObjection.id);

    for (const o of [zjObjection, shObjection]) {
      await accept(o.id);
      await verify(o.id);
    }
    const acceptedOn = clock.today();
    const extended = await step('extendObjection', 'id: $id, reason: $r', { id: zjObjection.id, r: '案情复杂' });
    expect(extended.data.extendObjection).toMatchObject({ extended: true, extensionReason: '案情复杂', dueBy: chinaCalendar.addWorkingDays(acceptedOn, 20) });
    const again = await step('extendObjection', 'id: $id, reason: $r', { id: zjObjection.id, r: '再次延期' });
    expect(again.errors![0]!.extensions).toMatchObject({ code: 'RULE_REFUSED', rule: 'R1' });
    const shanghai = await step('extendObjection', 'id: $id, reason: $r', { id: shObjection.id, r: '案情复杂' });
    expect(shanghai.errors![0]).toMatchObject({ message: expect.stringContaining('Shanghai'), extensions: { code: 'RULE_REFUSED' } });
  });

  test("R1: a refused or rejected objection is reconsidered once, on the subject's request, within 60 days", async () => {
    const { entryId, subject, code } = await listed(BEIJING);
    const filed = (await object(entryId, subject)).data.fileObjection;
    const refused = await step('refuseObjection', 'id: $id, reason: $r', { id: filed.id, r: '异议材料不全' });
    expect(refused.data.refuseObjection).toMatchObject({ status: 'REFUSED', reason: '异议材料不全', dueBy: null });
    const ask = (headers: Record<string, string>) =>
      call(`mutation($o: ID!) { requestReconsideration(objectionId: $o, grounds: "补充了完税证明") { ${OBJECTION} } }`, { o: filed.id }, headers);
    // only the subject asks, and not for another subject's objection
    const other = await listed(BEIJING);
    expect((await ask(other.subject)).errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const reconsideration = (await ask(subject)).data.requestReconsideration;
    expect(reconsideration).toMatchObject({ kind: 'RECONSIDERATION', status: 'FILED', reconsiders: { id: filed.id }, entry: { id: entryId } });
    expect((await ask(subject)).errors![0]!.extensions!.code).toBe('CONFLICT');
    const objections = (await file(code, 'objections { id kind }', subject)).objections;
    expect(objections.map((o: any) => o.kind).sort()).toEqual(['OBJECTION', 'RECONSIDERATION']);
    // once: a refused reconsideration is not reconsidered again
    await step('refuseObjection', 'id: $id, reason: $r', { id: reconsideration.id, r: '理由不成立' });
    const again = await call(`mutation($o: ID!) { requestReconsideration(objectionId: $o, grounds: "再议") { id } }`, { o: reconsideration.id }, subject);
    expect(again.errors![0]!.extensions).toMatchObject({ code: 'RULE_REFUSED', rule: 'R1' });

    // a later decision: 60 days after it, too late
    const second = await listed(BEIJING);
    const o2 = (await object(second.entryId, second.subject)).data.fileObjection;
    await step('refuseObjection', 'id: $id, reason: $r', { id: o2.id, r: '逾期' });
    clock.set('2026-08-01');
    const tooLate = await call(`mutation($o: ID!) { requestReconsideration(objectionId: $o, grounds: "迟到") { id } }`, { o: o2.id }, second.subject);
    expect(tooLate.errors![0]!.extensions).toMatchObject({ code: 'RULE_REFUSED', rule: 'R1', lastDay: '2026-07-31' });
  });

  test('R1, L6: a warning entry is not objected to itself (it follows from the focus entries, which can be)', async () => {
    const { code, entryId: firstFocus, subject } = await listed(BEIJING, { kind: 'FOCUS', field: 'TAX' });
    for (const field of ['ENVIRONMENT', 'FOOD_DRUG']) {
      const res = await call('mutation($i: DetermineEntryInput!) { determineEntry(input: $i) { id } }', {
        i: { code, kind: 'FOCUS', field, facts: `关注 ${field}`, authority: 'STA', basis: '依据', determinedOn: '2026-05-25' },
      });
      expect(res.errors).toBeUndefined();
    }
    const warning = (
      await eventually(
        () => entriesOf(code),
        (es) => es.some((e) => e.kind === 'WARNING'),
      )
    ).find((e) => e.kind === 'WARNING')!;
    await eventually(
      () => system.databases.repair.query('SELECT 1 FROM entries WHERE entry_id = $1', [warning.id]),
      (rows) => rows.length === 1,
    );
    expect((await object(warning.id, subject)).errors![0]!.extensions).toMatchObject({ code: 'RULE_REFUSED', rule: 'L6' });
    expect((await file(code, 'objections { id }', subject)).objections).toEqual([]);
    expect((await object(firstFocus, subject)).data.fileObjection).toMatchObject({ status: 'FILED', entry: { id: firstFocus } });
  });

  test('R1, L4, L9(a): a report against a red subject needs evidence; it holds the red entry in publicity, and upheld ends it (re-determination)', async () => {
    const { code, entryId } = await listed(BEIJING, { kind: 'RED', facts: '纳税信用A级', basis: '纳税信用管理办法', determinedOn: '2026-06-01' });
    const noEvidence = await object(entryId, mee, { grounds: '该企业存在虚开发票行为' });
    expect(noEvidence.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'evidence' });
    const report = (await object(entryId, mee, { grounds: '该企业存在虚开发票行为', evidence: '稽查线索编号 2026-117' })).data.fileObjection;
    expect(report).toMatchObject({ kind: 'REPORT', filedBy: 'MEE', status: 'FILED' });
    // L4: held while the authority verifies — still in notice after publicity would have ended
    const held = await eventually(
      () => file(code, 'entries { history { action } }', sta),
      (f) => f.entries[0].history.some((h: any) => h.action === 'HELD'),
    );
    expect(held.entries[0].history.map((h: any) => h.action)).toEqual(['DETERMINED', 'HELD']);
    clock.set('2026-07-01');
    await system.advance();
    expect((await entriesOf(code)).map((e) => e.status)).toEqual(['NOTICE']);
    // the reporter cannot decide; the authority does
    expect((await accept(report.id, mee)).errors![0]!.extensions!.code).toBe('FORBIDDEN');
    await accept(report.id);
    await verify(report.id);
    const upheld = (await decide({ id: report.id, upheld: true, reason: '经核实存在虚开发票，撤销守信认定' })).data.decideObjection;
    expect(upheld.status).toBe('UPHELD');
    const after = await eventually(
      () => entriesOf(code),
      (es) => es[0]?.status === 'EXITED',
    );
    expect(after).toEqual([{ id: entryId, kind: 'RED', status: 'EXITED', exit: { way: 'WRONGFUL' } }]);
  });

  test('L4: a red entry held by two reports waits for both: refusing one leaves it held', async () => {
    const { code, entryId } = await listed(BEIJING, { kind: 'RED', facts: '纳税信用A级', basis: '纳税信用管理办法', determinedOn: '2026-06-01' });
    const samr = await as({ caller: 'department', department: 'SAMR', scopes: ['credit:read', 'repair:report'] });
    const first = (await object(entryId, mee, { grounds: '虚开发票', evidence: '线索 1' })).data.fileObjection;
    const second = (await object(entryId, samr, { grounds: '产品质量问题', evidence: '线索 2' })).data.fileObjection;
    await eventually(
      () => file(code, 'entries { history { action } }', sta),
      (f) => f.entries[0].history.some((h: any) => h.action === 'HELD'),
    );
    clock.set('2026-07-01'); // publicity is over
    await step('refuseObjection', 'id: $id, reason: $r', { id: first.id, r: '线索不实' });
    await system.advance();
    // the refusal reached listings (it is in the outbox, delivered) and the entry is still held for the second report
    await eventually(
      () =>
        system.databases.repair.query("SELECT 1 FROM event_outbox WHERE key = $1 AND type = 'repair.objection.decided' AND delivered_at IS NOT NULL", [
          entryId,
        ]),
      (rows) => rows.length === 1,
    );
    await system.advance();
    expect((await entriesOf(code)).map((e) => e.status)).toEqual(['NOTICE']);
    await step('refuseObjection', 'id: $id, reason: $r', { id: second.id, r: '线索不实' });
    expect(
      (
        await eventually(
          () => entriesOf(code),
          (es) => es[0]?.status === 'EFFECTIVE',
        )
      )[0].status,
    ).toBe('EFFECTIVE');
  });

  test('R2, L8(a): object → upheld → the black entry is gone from the file, from creditCheck and from every store; the correction stays', async () => {
    const { code, entryId, subject } = await listed(SHANGHAI, { evidence: '稽查报告 R2-证据', basis: '税收征收管理法 R2-依据' });
    // copies in every subgraph: enforcement tasks and a check that named it; repair's rectification
    await eventually(
      () => file(code, 'tasks { id }', sta),
      (s) => s.tasks.length > 0,
    );
    const check = await call('query($c: ID!) { creditCheck(code: $c, scenario: PROCUREMENT) { verdict entries { id } } }', { c: code });
    expect(check.data.creditCheck.entries).toEqual([{ id: entryId }]);
    await call('mutation($i: RectificationInput!) { requireRectification(input: $i) { id } }', {
      i: { entryId, requirements: '补缴税款', deadline: '2026-07-01' },
    });

    const filed = (await object(entryId, subject)).data.fileObjection;
    await accept(filed.id);
    await verify(filed.id);
    // R2: an upheld objection against a black entry must record the apology and the clarification
    const bare = await decide({ id: filed.id, upheld: true, reason: '认定错误' });
    expect(bare.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'apology' });
    expect((await file(code, 'objections { status }', subject)).objections).toEqual([{ status: 'VERIFIED' }]);

    const upheld = await decide({ id: filed.id, upheld: true, reason: '认定错误', apology: '特此致歉', clarification: '该企业不存在偷税行为，特此澄清' });
    expect(upheld.data.decideObjection).toMatchObject({
      status: 'UPHELD',
      correction: { correctedOn: '2026-06-01', apology: '特此致歉', clarification: '该企业不存在偷税行为，特此澄清' },
    });

    expect(
      await eventually(
        () => entriesOf(code),
        (es) => es.length === 0,
      ),
    ).toEqual([]);
    // every table of every store, the event outboxes included: what was published about the entry is gone with it
    const gone = await eventually(
      async () => ({
        listings: await tracesOf(system.databases.listings, entryId),
        enforcement: await tracesOf(system.databases.enforcement, entryId),
        repair: await tracesOf(system.databases.repair, entryId),
      }),
      (t) => Object.keys(t.enforcement).length + Object.keys(t.repair).length === 0,
    );
    expect(gone).toEqual({ listings: { event_outbox: 1 }, enforcement: {}, repair: {} });
    // the one row left is the deletion itself, which names no list, field, authority or date
    const left = await system.databases.listings.query('SELECT type, payload FROM event_outbox WHERE key = $1', [entryId]);
    expect(left).toEqual([{ type: 'listings.entry.deleted', payload: { entryId, subjectCode: code } }]);
    // nothing of its content anywhere, events included
    for (const content of [`偷税 ${code}`, 'R2-证据', 'R2-依据', '补缴税款']) {
      for (const db of [system.databases.listings, system.databases.enforcement, system.databases.repair]) expect(await tracesOf(db, content)).toEqual({});
    }
    const after = await call('query($c: ID!) { creditCheck(code: $c, scenario: PROCUREMENT) { verdict entries { id } } }', { c: code });
    expect(after.data.creditCheck.entries).toEqual([]);
    // no focus follows a wrongful listing, and the subject's file keeps the corrected objection
    const own = await file(code, 'entries { id } objections { status entry { id } grounds correction { apology } }', subject);
    expect(own).toEqual({ entries: [], objections: [{ status: 'UPHELD', entry: null, grounds: null, correction: { apology: '特此致歉' } }] });
  });

  test('R2: the red entry a wrong black listing ended (L2) is in force again, with its incentives: tasks initiated anew, checks say INCENTIVE', async () => {
    const code = codeIn(SHANGHAI);
    await call('mutation($c: ID!) { registerSubject(input: { code: $c, kind: ORGANISATION, name: "守信企业" }) { code } }', { c: code });
    const red = (
      await call('mutation($i: DetermineEntryInput!) { determineEntry(input: $i) { id effectiveOn } }', {
        i: { code, kind: 'RED', field: 'TAX', facts: '纳税信用A级', authority: 'STA', basis: '纳税信用管理办法', determinedOn: '2026-06-01' },
      })
    ).data.determineEntry;
    clock.set(red.effectiveOn);
    await system.advance(); // publicity over (L4)
    const redTasks = () => file(code, 'tasks { status entry { id } }', sta).then((s) => s.tasks.filter((t: any) => t.entry?.id === red.id));
    const verdict = async () => (await call('query($c: ID!) { creditCheck(code: $c, scenario: FINANCING) { verdict } }', { c: code })).data.creditCheck.verdict;
    const initiated = await eventually(redTasks, (ts) => ts.length > 0);
    expect(await eventually(verdict, (v) => v === 'INCENTIVE')).toBe('INCENTIVE');

    const black = (
      await call('mutation($i: DetermineEntryInput!) { determineEntry(input: $i) { id } }', {
        i: { code, kind: 'BLACK', field: 'TAX', facts: '偷税', authority: 'STA', basis: '税收征收管理法', determinedOn: red.effectiveOn },
      })
    ).data.determineEntry;
    expect((await eventually(redTasks, (ts) => ts.every((t: any) => t.status === 'WITHDRAWN'))).every((t: any) => t.status === 'WITHDRAWN')).toBe(true);
    await eventually(
      () => system.databases.repair.query('SELECT 1 FROM entries WHERE entry_id = $1', [black.id]),
      (rows) => rows.length === 1,
    );

    const filed = (await object(black.id, await subjectToken(code))).data.fileObjection;
    await accept(filed.id);
    await verify(filed.id);
    await decide({ id: filed.id, upheld: true, reason: '认定错误', apology: '特此致歉', clarification: '特此澄清' });
    const after = await eventually(
      () => entriesOf(code),
      (es) => es.length === 1 && es[0].status === 'EFFECTIVE',
    );
    expect(after).toEqual([{ id: red.id, kind: 'RED', status: 'EFFECTIVE', exit: null }]);
    const again = await eventually(redTasks, (ts) => ts.every((t: any) => t.status === 'INITIATED'));
    expect(again.map((t: any) => t.status)).toEqual(initiated.map(() => 'INITIATED'));
    expect(await eventually(verdict, (v) => v === 'INCENTIVE')).toBe('INCENTIVE');
  });

  test('R3: a missed rectification deadline schedules one interview (warning for black, prompt for focus); its record joins the file', async () => {
    const black = await listed(BEIJING);
    const focus = await listed(BEIJING, { kind: 'FOCUS' });
    const confirmed = await listed(BEIJING);
    const require = (entryId: string, deadline = '2026-06-15') =>
      call('mutation($i: RectificationInput!) { requireRectification(input: $i) { id deadline overdue rectifiedOn } }', {
        i: { entryId, requirements: '限期补缴税款并提交说明', deadline },
      });
    expect((await require(black.entryId, '2026-06-01')).errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'deadline' });
    const byOther = await call(
      'mutation($i: RectificationInput!) { requireRectification(input: $i) { id } }',
      { i: { entryId: black.entryId, requirements: '补缴', deadline: '2026-07-01' } },
      mee,
    );
    expect(byOther.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect((await require(black.entryId, '2026-07-01')).errors).toBeUndefined();
    await require(focus.entryId);
    const toConfirm = (await require(confirmed.entryId)).data.requireRectification;
    const ok = await call('mutation($id: ID!) { confirmRectified(id: $id) { rectifiedOn overdue } }', { id: toConfirm.id });
    expect(ok.data.confirmRectified).toEqual({ rectifiedOn: '2026-06-01', overdue: false });

    clock.set('2026-07-02');
    await system.advance();
    await system.advance(); // once: a second pass schedules nothing more
    const interviews = async (code: string) => (await file(code, 'interviews { id kind scheduledOn outcome record entry { id } }', sta)).interviews as any[];
    expect(await interviews(black.code)).toEqual([
      expect.objectContaining({
        kind: 'WARNING',
        scheduledOn: chinaCalendar.addWorkingDays('2026-07-01', DEFAULT_REPAIR_TERMS.interviewWithinWorkingDays),
        outcome: null,
      }),
    ]);
    expect((await interviews(focus.code)).map((i) => i.kind)).toEqual(['PROMPT']);
    expect(await interviews(confirmed.code)).toEqual([]);

    const [interview] = await interviews(black.code);
    const record = (outcome: string) =>
      call('mutation($i: InterviewRecordInput!) { recordInterview(input: $i) { outcome record recordedOn } }', {
        i: { id: interview.id, outcome, record: '法定代表人拒绝参加约谈' },
      });
    expect((await record('REFUSED')).data.recordInterview).toEqual({ outcome: 'REFUSED', record: '法定代表人拒绝参加约谈', recordedOn: '2026-07-02' });
    expect((await record('HELD')).errors![0]!.extensions!.code).toBe('ILLEGAL_TRANSITION');
    // the subject sees the record in its own file
    expect((await file(black.code, 'interviews { outcome }', black.subject)).interviews).toEqual([{ outcome: 'REFUSED' }]);
  });

  test('R4, R5, R6: a public commitment; training under 3 class hours and a report from an unregistered agency are refused, nothing recorded', async () => {
    const { code, subject } = await listed(BEIJING);
    const committed = await call('mutation { makeCommitment(text: "本企业承诺依法诚信经营，自愿接受社会监督") { text madeOn } }', {}, subject);
    expect(committed.data.makeCommitment).toEqual({ text: '本企业承诺依法诚信经营，自愿接受社会监督', madeOn: '2026-06-01' });
    // R4: public — anyone reads it
    expect((await call('query($c: ID!) { subject(code: $c) { commitments { text } } }', { c: code }, {})).data.subject.commitments).toHaveLength(1);

    const train = (hours: number) =>
      call(
        'mutation($i: TrainingInput!) { recordTraining(input: $i) { hours } }',
        { i: { provider: '市信用协会', certificate: `T-${code}-${hours}`, hours, completedOn: '2026-05-30' } },
        subject,
      );
    expect((await train(2.5)).errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'hours', rule: 'R5', minimum: 3 });
    expect((await train(3)).data.recordTraining).toEqual({ hours: 3 });

    const report = (agency: string) =>
      call(
        'mutation($i: CreditReportInput!) { submitCreditReport(input: $i) { agency } }',
        { i: { agency, reportNumber: `CR-${code}`, issuedOn: '2026-05-31' } },
        subject,
      );
    expect((await report('某某咨询工作室')).errors![0]!.extensions).toMatchObject({ code: 'RULE_REFUSED', rule: 'R6', argument: 'agency' });
    expect((await report('LIANHE_CREDIT')).data.submitCreditReport).toEqual({ agency: 'LIANHE_CREDIT' });
    expect((await report('LIANHE_CREDIT')).errors![0]!.extensions!.code).toBe('CONFLICT');

    const records = await file(code, 'trainings { hours } creditReports { agency }', subject);
    expect(records).toEqual({ trainings: [{ hours: 3 }], creditReports: [{ agency: 'LIANHE_CREDIT' }] });
    // a department may not act for the subject
    expect(
      (await call('mutation { makeCommitment(text: "代为承诺") { id } }', {}, await as({ caller: 'department', department: 'STA', scopes: ['repair:apply'] })))
        .errors![0]!.extensions!.code,
    ).toBe('FORBIDDEN');
  });

  /** Everything a serious entry requires besides time (R4–R6). */
  async function fulfil(code: string, subject: Record<string, string>) {
    await call('mutation { makeCommitment(text: "信用承诺书") { id } }', {}, subject);
    await call(
      'mutation($i: TrainingInput!) { recordTraining(input: $i) { id } }',
      { i: { provider: '市信用协会', certificate: `C-${code}`, hours: 4, completedOn: clock.today() } },
      subject,
    );
    await call(
      'mutation($i: CreditReportInput!) { submitCreditReport(input: $i) { id } }',
      { i: { agency: 'CCX', reportNumber: `R-${code}`, issuedOn: clock.today() } },
      subject,
    );
  }
  const apply = (entryId: string, headers: Record<string, string>) =>
    call(
      `mutation($i: RepairApplicationInput!) { applyForRepair(input: $i) { ${APPLICATION} } }`,
      { i: { entryId, corrected: '已补缴全部税款及滞纳金', obligationsMet: '罚款已缴清' } },
      headers,
    );

  test('R7, R8: before the minimum period, an entry not repairable, or conditions missing: refused with the reason and the earliest date', async () => {
    const serious = await listed(BEIJING, { determinedOn: '2026-01-05' });
    await fulfil(serious.code, serious.subject);
    const early = await apply(serious.entryId, serious.subject);
    expect(early.errors![0]).toMatchObject({ extensions: { code: 'RULE_REFUSED', rule: 'R8', earliestOn: '2027-01-05' } });

    const barred = await listed(BEIJING, { determinedOn: '2024-03-01', repairable: false });
    expect((await apply(barred.entryId, barred.subject)).errors![0]!.extensions).toMatchObject({ code: 'RULE_REFUSED', rule: 'R8' });

    const later = await listed(BEIJING, { determinedOn: '2024-03-01', repairableFrom: '2026-09-01' });
    expect((await apply(later.entryId, later.subject)).errors![0]!.extensions).toMatchObject({ code: 'RULE_REFUSED', rule: 'R8', earliestOn: '2026-09-01' });

    // a general (focus) entry after its 3 months: it lacks the commitment and the credit report, and says so
    const focus = await listed(BEIJING, { kind: 'FOCUS', determinedOn: '2026-02-02' });
    const refused = await apply(focus.entryId, focus.subject);
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'RULE_REFUSED', rule: 'R7', lacks: ['COMMITMENT', 'CREDIT_REPORT'] });
    expect((await file(focus.code, 'repairs { id }', focus.subject)).repairs).toEqual([]);

    // the subject's own view says the same before it tries
    const outlook = (await file(serious.code, `repairOutlook { ${OUTLOOK} }`, serious.subject)).repairOutlook;
    expect(outlook).toEqual([
      {
        entry: { id: serious.entryId },
        severity: 'SERIOUS',
        repairable: true,
        earliestOn: '2027-01-05',
        publicationEndsOn: '2029-01-05',
        lacks: ['TOO_EARLY'],
      },
    ]);
    const focusOutlook = (await file(focus.code, `repairOutlook { lacks earliestOn }`, focus.subject)).repairOutlook;
    expect(focusOutlook).toEqual([{ lacks: ['COMMITMENT', 'CREDIT_REPORT'], earliestOn: '2026-05-02' }]);
    // and another subject sees none of it
    expect(await file(focus.code, 'repairOutlook { lacks } objections { id } repairs { id }', serious.subject)).toEqual({
      repairOutlook: [],
      objections: [],
      repairs: [],
    });
  });

  test('R7, L8(b): conditions met → apply → approved → the entry exits as REPAIRED, a focus entry follows, and checks stop naming it', async () => {
    const { code, entryId, subject } = await listed(SHANGHAI, { determinedOn: '2025-05-26' });
    await call('mutation($i: RectificationInput!) { requireRectification(input: $i) { id } }', {
      i: { entryId, requirements: '补缴', deadline: '2026-06-10' },
    });
    await fulfil(code, subject);
    const waiting = await apply(entryId, subject);
    expect(waiting.errors![0]!.extensions).toMatchObject({ code: 'RULE_REFUSED', rule: 'R7', lacks: ['RECTIFICATION'] });
    const [rectification] = (await file(code, 'rectifications { id }', sta)).rectifications;
    await call('mutation($id: ID!) { confirmRectified(id: $id) { id } }', { id: rectification.id });
    expect((await file(code, `repairOutlook { lacks }`, subject)).repairOutlook).toEqual([{ lacks: [] }]);

    const applied = (await apply(entryId, subject)).data.applyForRepair;
    expect(applied).toMatchObject({
      status: 'APPLIED',
      appliedOn: '2026-06-01',
      overdue: false,
      dueBy: chinaCalendar.addWorkingDays('2026-06-01', DEFAULT_REPAIR_TERMS.repairDecideWorkingDays),
      answerBy: chinaCalendar.addWorkingDays('2026-06-01', DEFAULT_REPAIR_TERMS.repairAnswerWorkingDays),
    });
    expect((await apply(entryId, subject)).errors![0]!.extensions!.code).toBe('CONFLICT');
    clock.set(chinaCalendar.addWorkingDays(applied.dueBy, 1));
    expect((await call('{ repairsToDecide { id overdue } }')).data.repairsToDecide).toContainEqual({ id: applied.id, overdue: true });

    const decideRepair = (approve: boolean, headers = sta) =>
      call(
        `mutation($i: DecideRepairInput!) { decideRepair(input: $i) { ${APPLICATION} } }`,
        { i: { id: applied.id, approve, reason: '修复条件已具备，准予提前退出' } },
        headers,
      );
    const approved = (await decideRepair(true)).data.decideRepair;
    expect(approved).toMatchObject({ status: 'APPROVED', decidedOn: clock.today(), overdue: false });
    expect((await decideRepair(false)).errors![0]!.extensions!.code).toBe('ILLEGAL_TRANSITION');

    const entries = await eventually(
      () => entriesOf(code),
      (es) => es.length === 2,
    );
    expect(entries.map((e) => `${e.kind}:${e.status}:${e.exit?.way ?? ''}`).sort()).toEqual(['BLACK:EXITED:REPAIRED', 'FOCUS:EFFECTIVE:']);
    const check = await eventually(
      () => call('query($c: ID!) { creditCheck(code: $c, scenario: PROCUREMENT) { entries { id kind } } }', { c: code }),
      (r) => !r.data.creditCheck.entries.some((e: any) => e.id === entryId) && r.data.creditCheck.entries.length > 0,
    );
    expect(check.data.creditCheck.entries.map((e: any) => e.kind)).toEqual(['FOCUS']);
    // the repaired entry leaves the subject's outlook; the focus entry that followed enters it
    const outlook = await eventually(
      () => file(code, `repairOutlook { entry { id } severity }`, subject),
      (s) => s.repairOutlook.every((o: any) => o.entry.id !== entryId) && s.repairOutlook.length === 1,
    );
    expect(outlook.repairOutlook).toEqual([{ entry: { id: expect.not.stringMatching(entryId) }, severity: 'GENERAL' }]);
  });

  test('R7: at the maximum period of its severity, publication ends by itself, without an application', async () => {
    const { code, validUntil } = await listed(BEIJING, { kind: 'FOCUS', severity: 'MINOR', determinedOn: '2026-05-25', validUntil: '2027-05-25' });
    expect(validUntil).toBe('2026-08-25'); // minor: at most 3 months, whatever validity was asked for
    clock.set('2026-08-26');
    await system.advance();
    expect((await entriesOf(code)).map((e) => `${e.status}:${e.exit?.way}`)).toEqual(['EXITED:EXPIRED']);
  });

  test("A2: a person's objection does not reveal its ID number to a decider without credit:read:personal (filedBy names reporters only)", async () => {
    const first17 = `3101151986${String(1 + (serial % 12)).padStart(2, '0')}${String(10 + (serial % 18)).padStart(2, '0')}${String(serial++ % 1000).padStart(3, '0')}`;
    const code = first17 + residentIdCheckChar(first17);
    await call('mutation($c: ID!) { registerSubject(input: { code: $c, kind: PERSON, name: "异议人" }) { code } }', { c: code });
    const entryId = (
      await call('mutation($i: DetermineEntryInput!) { determineEntry(input: $i) { id } }', {
        i: { code, kind: 'BLACK', field: 'TAX', facts: '偷税', authority: 'STA', basis: '依据', determinedOn: '2026-05-25' },
      })
    ).data.determineEntry.id;
    await eventually(
      () => system.databases.repair.query('SELECT 1 FROM entries WHERE entry_id = $1', [entryId]),
      (rows) => rows.length === 1,
    );
    const filed = (await object(entryId, await subjectToken(code))).data.fileObjection;
    expect(filed).toMatchObject({ kind: 'OBJECTION', filedBy: null });
    const decider = await as({ caller: 'department', department: 'STA', scopes: ['repair:decide'] });
    const pending = (await call('{ objectionsToDecide { id filedBy subject { code } } }', {}, decider)).data.objectionsToDecide.find(
      (o: any) => o.id === filed.id,
    );
    expect(pending.filedBy).toBeNull();
    expect(pending.subject.code).not.toBe(code); // masked (A2)
    expect(pending.subject.code).toMatch(/\*/);
  });

  test("bad input: an application on someone else's entry, a decision by a department that is not the determining authority — clear errors, nothing changed", async () => {
    const mine = await listed(BEIJING, { determinedOn: '2025-05-26' });
    const theirs = await listed(BEIJING, { determinedOn: '2025-05-26' });
    await fulfil(mine.code, mine.subject);
    const foreign = await apply(theirs.entryId, mine.subject);
    expect(foreign.errors![0]).toMatchObject({ message: expect.stringContaining('another subject'), extensions: { code: 'FORBIDDEN' } });
    expect((await file(theirs.code, 'repairs { id }', sta)).repairs).toEqual([]);

    const applied = (await apply(mine.entryId, mine.subject)).data.applyForRepair;
    const byMee = await call(
      'mutation($i: DecideRepairInput!) { decideRepair(input: $i) { status } }',
      { i: { id: applied.id, approve: true, reason: '越权' } },
      mee,
    );
    expect(byMee.errors![0]).toMatchObject({ message: expect.stringContaining('STA'), extensions: { code: 'FORBIDDEN' } });
    const filed = (await object(mine.entryId, mine.subject)).data.fileObjection;
    expect((await accept(filed.id, mee)).errors![0]!.extensions!.code).toBe('FORBIDDEN');
    // nothing changed: still applied, still filed, the entry still in force, nothing sent to listings
    const after = await file(mine.code, 'repairs { status } objections { status }', mine.subject);
    expect(after).toEqual({ repairs: [{ status: 'APPLIED' }], objections: [{ status: 'FILED' }] });
    expect((await entriesOf(mine.code)).map((e) => e.status)).toEqual(['EFFECTIVE']);
    const sent = await system.databases.repair.query('SELECT type FROM event_outbox WHERE key = $1 ORDER BY seq', [mine.entryId]);
    expect(sent).toEqual([{ type: 'repair.objection.filed' }]);

    // unknown ids, empty text, a subject token without the scope
    expect((await object('00000000-0000-4000-8000-000000000000', mine.subject)).errors![0]!.extensions!.code).toBe('NOT_FOUND');
    expect((await object(mine.entryId, mine.subject, { grounds: '   ' })).errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'grounds',
    });
    const noScope = await as({ caller: 'subject', subject: mine.code, scopes: [] });
    expect((await apply(mine.entryId, noScope)).errors![0]!.extensions!.code).toBe('FORBIDDEN');
    // repair terms at determination: a red entry has no severity; repairable-from cannot precede the determination
    const determine = (extra: Record<string, unknown>) =>
      call('mutation($i: DetermineEntryInput!) { determineEntry(input: $i) { id } }', {
        i: { code: mine.code, kind: 'FOCUS', field: 'TAX', facts: '事实', authority: 'STA', basis: '依据', determinedOn: '2026-05-25', ...extra },
      });
    expect((await determine({ kind: 'RED', severity: 'MINOR' })).errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'severity' });
    expect((await determine({ repairableFrom: '2026-01-01' })).errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'repairableFrom' });
    expect((await determine({ severity: 'SEVERE' })).errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect((await entriesOf(mine.code)).map((e) => e.kind)).toEqual(['BLACK']);
  });
});
