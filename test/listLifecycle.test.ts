import { deliveredEvent } from './kit/events.js';
import { SimulatedClock } from '../lib/platform/clock.js';
import { chinaCalendar } from '../lib/domain/calendar/index.js';
import { creditCodeCheckChar, residentIdCheckChar } from '../lib/domain/identifiers/index.js';
import type { RunningSystem } from '../scripts/system.js';
import { REPAIR_EVENTS } from '../lib/contracts/events/repair.js';
import { onRepairEvent } from '../subgraphs/listings/inbound.js';
import { DEFAULT_TERMS } from '../subgraphs/listings/terms.js';
import { backends } from './kit/backends.js';
import { graphql, startTestSystem } from './kit/system.js';
import { as } from './kit/tokens.js';
import { tracesOf } from './kit/traces.js';

/** Time-driven list rules (L1, L4–L8, L9c, L10, L11) on a simulated clock, through the gateway. */
let serial = 0;
const orgCode = () => {
  const first17 = `91310115MA${String(process.pid % 1e4).padStart(4, '0')}${String(serial++).padStart(3, '0')}`;
  return first17 + creditCodeCheckChar(first17);
};
const personCode = () => {
  const first17 = `3101151985${String(1 + (serial % 12)).padStart(2, '0')}${String(10 + (serial % 18)).padStart(2, '0')}${String(serial++ % 1000).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
};

const ENTRY = 'id kind status field determinedOn validUntil effectiveOn lateReport exit { way on reason }';

describe.each(backends)('list lifecycle on a simulated clock ($name)', (backend) => {
  let system: RunningSystem;
  let clock: SimulatedClock;
  let sta: Record<string, string>;
  beforeAll(async () => {
    clock = new SimulatedClock('2026-03-02');
    system = await startTestSystem(backend, { seed: false, clock });
    sta = await as({ caller: 'department', department: 'STA', scopes: ['credit:read', 'listing:write'] });
  });
  afterAll(() => system?.stop());

  const call = (query: string, variables: Record<string, unknown> = {}, headers = sta) => graphql<any>(system.gatewayUrl, query, variables, headers);
  const register = async (kind: 'ORGANISATION' | 'PERSON' = 'ORGANISATION') => {
    const code = kind === 'PERSON' ? personCode() : orgCode();
    const res = await call('mutation($c: ID!, $k: SubjectKind!) { registerSubject(input: { code: $c, kind: $k, name: "时间测试" }) { code } }', {
      c: code,
      k: kind,
    });
    expect(res.errors).toBeUndefined();
    return code;
  };
  const determine = async (code: string, kind: string, extra: Record<string, unknown> = {}) => {
    const res = await call(`mutation($i: DetermineEntryInput!) { determineEntry(input: $i) { ${ENTRY} } }`, {
      i: { code, kind, field: 'TAX', facts: '事实', authority: 'STA', basis: '依据', determinedOn: clock.today(), validUntil: '2028-03-01', ...extra },
    });
    expect(res.errors).toBeUndefined();
    return res.data.determineEntry;
  };
  const entries = async (code: string, headers = sta) =>
    (await call(`query($c: ID!) { subject(code: $c) { entries { ${ENTRY} } } }`, { c: code }, headers)).data.subject.entries as any[];
  const entry = async (code: string, id: string) => (await entries(code)).find((e) => e.id === id);
  const at = async (date: string) => {
    clock.set(date);
    await system.advance();
  };

  afterEach(() => clock.set('2026-03-02'));

  /** An event from the repair subgraph, as the bus delivers it (the repair side is issue 6). */
  const fromRepair = (type: string, payload: { entryId: string } & Record<string, unknown>) =>
    deliveredEvent({ source: 'repair', type, key: payload.entryId, payload });
  const deliver = (event: ReturnType<typeof fromRepair>) => onRepairEvent(system.databases.listings, event, clock.today());
  const objectionFiled = (_db: unknown, payload: { entryId: string }) => deliver(fromRepair(REPAIR_EVENTS.objectionFiled, payload));
  const objectionDecided = (_db: unknown, payload: { entryId: string; upheld: boolean; on: string; reason: string }, today: string) => {
    clock.set(today);
    return deliver(fromRepair(REPAIR_EVENTS.objectionDecided, payload));
  };

  test('L1: an entry reported more than 10 working days after determination is flagged, not refused', async () => {
    const code = await register();
    clock.set('2026-03-20');
    // 10 working days after Mon 2026-03-02 is Mon 2026-03-16
    expect(chinaCalendar.addWorkingDays('2026-03-02', 10)).toBe('2026-03-16');
    expect(await determine(code, 'FOCUS', { determinedOn: '2026-03-02', field: 'TAX' })).toMatchObject({ lateReport: true });
    expect(await determine(code, 'FOCUS', { determinedOn: '2026-03-10', field: 'COURT' })).toMatchObject({ lateReport: false });
  });

  test('L12: penalty information published more than 7 working days after the decision is flagged', async () => {
    const code = await register();
    clock.set('2026-03-13');
    // 7 working days after Mon 2026-03-02 is Wed 2026-03-11
    expect(chinaCalendar.addWorkingDays('2026-03-02', 7)).toBe('2026-03-11');
    const q = `mutation($i: DetermineEntryInput!) { determineEntry(input: $i) { latePublication penaltyDecidedOn } }`;
    const base = { code, kind: 'FOCUS', facts: '事实', authority: 'STA', basis: '依据', determinedOn: '2026-03-12' };
    expect((await call(q, { i: { ...base, field: 'TAX', penaltyDecidedOn: '2026-03-02' } })).data.determineEntry).toEqual({
      latePublication: true,
      penaltyDecidedOn: '2026-03-02',
    });
    expect((await call(q, { i: { ...base, field: 'COURT', penaltyDecidedOn: '2026-03-05' } })).data.determineEntry).toEqual({
      latePublication: false,
      penaltyDecidedOn: '2026-03-05',
    });
  });

  test('L4: a red entry is publicly noticed, then takes effect by itself when publicity ends', async () => {
    const code = await register();
    const red = await determine(code, 'RED');
    const ends = chinaCalendar.addWorkingDays('2026-03-02', DEFAULT_TERMS.publicityWorkingDays);
    expect(red).toMatchObject({ status: 'NOTICE', effectiveOn: ends });
    await at('2026-03-05');
    expect(await entry(code, red.id)).toMatchObject({ status: 'NOTICE' });
    await at(ends);
    expect(await entry(code, red.id)).toMatchObject({ status: 'EFFECTIVE' });
  });

  test('L4: with an objection it waits for the authority: rejected → effective, upheld → exits as wrongful (L9a)', async () => {
    const code = await register();
    const kept = await determine(code, 'RED');
    const other = await register();
    const wrong = await determine(other, 'RED');
    await objectionFiled(system.databases.listings, { entryId: kept.id });
    await objectionFiled(system.databases.listings, { entryId: wrong.id });
    await at('2026-04-01');
    expect(await entry(code, kept.id)).toMatchObject({ status: 'NOTICE' });
    await objectionDecided(system.databases.listings, { entryId: kept.id, upheld: false, on: '2026-04-01', reason: '异议不成立' }, '2026-04-01');
    expect(await entry(code, kept.id)).toMatchObject({ status: 'EFFECTIVE' });
    await objectionDecided(system.databases.listings, { entryId: wrong.id, upheld: true, on: '2026-04-01', reason: '异议成立' }, '2026-04-01');
    expect(await entry(other, wrong.id)).toMatchObject({ status: 'EXITED', exit: { way: 'WRONGFUL' } });
  });

  test('L5: a natural person is notified before a black entry takes effect; then L2 ends the red entry', async () => {
    const code = await register('PERSON');
    clock.set('2026-01-05');
    const red = await determine(code, 'RED');
    await at('2026-02-02');
    expect(await entry(code, red.id)).toMatchObject({ status: 'EFFECTIVE' });
    clock.set('2026-03-02');
    const black = await determine(code, 'BLACK');
    const effective = chinaCalendar.addWorkingDays('2026-03-02', DEFAULT_TERMS.priorNoticeWorkingDays);
    expect(black).toMatchObject({ status: 'NOTICE', effectiveOn: effective });
    expect(await entry(code, red.id)).toMatchObject({ status: 'EFFECTIVE' });
    await at(effective);
    expect(await entry(code, black.id)).toMatchObject({ status: 'EFFECTIVE' });
    expect(await entry(code, red.id)).toMatchObject({ status: 'EXITED', exit: { way: 'SUPERSEDED', on: effective } });
  });

  test('L6: focus in a third field puts the subject on the warning list; it leaves when that no longer holds', async () => {
    const code = await register();
    const [tax] = [await determine(code, 'FOCUS', { field: 'TAX' }), await determine(code, 'FOCUS', { field: 'COURT' })];
    expect((await entries(code)).filter((e) => e.kind === 'WARNING')).toEqual([]);
    await determine(code, 'FOCUS', { field: 'CUSTOMS' });
    expect((await entries(code)).filter((e) => e.kind === 'WARNING')).toEqual([expect.objectContaining({ status: 'EFFECTIVE' })]);
    await call('mutation($i: ExitEntryInput!) { exitEntry(input: $i) { id } }', {
      i: { id: tax.id, way: 'STANDARD_CHANGED', on: '2026-03-02', reason: '标准调整' },
    });
    expect((await entries(code)).filter((e) => e.kind === 'WARNING')).toEqual([
      expect.objectContaining({ status: 'EXITED', exit: expect.objectContaining({ reason: expect.stringContaining('L6') }) }),
    ]);
  });

  test("L7: a serious breach during a focus entry's validity transfers the subject to black", async () => {
    const code = await register();
    const focus = await determine(code, 'FOCUS', { validUntil: '2026-12-31' });
    clock.set('2026-05-06');
    const black = await determine(code, 'BLACK', { fromFocusEntry: focus.id });
    expect(black).toMatchObject({ status: 'EFFECTIVE' });
    expect(await entry(code, focus.id)).toMatchObject({ status: 'EXITED', exit: { way: 'SUPERSEDED', reason: expect.stringContaining('L7') } });
    clock.set('2027-02-01');
    const late = await call(`mutation($i: DetermineEntryInput!) { determineEntry(input: $i) { id } }`, {
      i: { code, kind: 'BLACK', field: 'TAX', facts: '事实', authority: 'STA', basis: '依据', determinedOn: '2027-02-01', fromFocusEntry: focus.id },
    });
    expect(late.errors![0]!.extensions).toMatchObject({ code: 'RULE_REFUSED', rule: 'L7' });
  });

  test('R2, L8(a): a black listing found wrong after it exited goes with the focus that followed it; the red it ended (L2) is restored', async () => {
    const code = await register();
    const red = await determine(code, 'RED', { validUntil: '2028-03-01' });
    await at(red.effectiveOn);
    const black = await determine(code, 'BLACK', { determinedOn: red.effectiveOn, focusMonthsAfterExit: 6 });
    expect(await entry(code, red.id)).toMatchObject({ status: 'EXITED', exit: { way: 'SUPERSEDED' } });
    await at('2026-05-04');
    await call('mutation($i: ExitEntryInput!) { exitEntry(input: $i) { id } }', {
      i: { id: black.id, way: 'STANDARD_CHANGED', on: '2026-05-04', reason: '标准调整' },
    });
    const focus = (await entries(code)).find((e) => e.kind === 'FOCUS')!;
    expect(focus).toMatchObject({ status: 'EFFECTIVE' });

    // an objection filed while it was in force is upheld after its exit
    await objectionDecided(system.databases.listings, { entryId: black.id, upheld: true, on: '2026-05-20', reason: '认定错误' }, '2026-05-20');
    expect((await entries(code)).map((e) => `${e.kind}:${e.status}:${e.exit?.way ?? ''}`)).toEqual(['RED:EFFECTIVE:']);
    expect(await entry(code, focus.id)).toBeUndefined(); // L8: never a focus after (a)
    // the red keeps its history, which no longer names the deleted listing
    const history = await system.databases.listings.query<{ action: string; reason: string | null }>(
      'SELECT action, reason FROM entry_changes WHERE entry_id = $1 ORDER BY id',
      [red.id],
    );
    expect(history.map((h) => h.action)).toEqual(['DETERMINED', 'EFFECTIVE', 'EXITED', 'RESTORED']);
    expect(JSON.stringify(history)).not.toContain(black.id);
    expect(await tracesOf(system.databases.listings, black.id)).toEqual({ event_outbox: 1 }); // the deletion, still to deliver
  });

  test('R2, L6: a warning that arose only because the focus after a wrong black listing counted is deleted with it', async () => {
    const code = await register();
    await determine(code, 'FOCUS', { field: 'COURT' });
    await determine(code, 'FOCUS', { field: 'CUSTOMS' });
    const black = await determine(code, 'BLACK', { field: 'TAX' });
    await at('2026-04-01');
    await call('mutation($i: ExitEntryInput!) { exitEntry(input: $i) { id } }', {
      i: { id: black.id, way: 'STANDARD_CHANGED', on: '2026-04-01', reason: '标准调整' },
    });
    const warning = (await entries(code)).find((e) => e.kind === 'WARNING');
    expect(warning).toMatchObject({ status: 'EFFECTIVE' }); // focus in TAX (after the black exit), COURT and CUSTOMS
    await objectionDecided(system.databases.listings, { entryId: black.id, upheld: true, on: '2026-04-20', reason: '认定错误' }, '2026-04-20');
    expect((await entries(code)).map((e) => `${e.kind}:${e.field}:${e.status}`).sort()).toEqual(['FOCUS:COURT:EFFECTIVE', 'FOCUS:CUSTOMS:EFFECTIVE']);
    expect(await entry(code, warning.id)).toBeUndefined();
  });

  test("R2, L2: a red entry another black listing keeps ended stays ended, in that listing's name; one that expired meanwhile is expired", async () => {
    const code = await register();
    const red = await determine(code, 'RED', { validUntil: '2028-03-01' });
    await at(red.effectiveOn);
    const wrong = await determine(code, 'BLACK', { determinedOn: red.effectiveOn, field: 'TAX' });
    const right = await determine(code, 'BLACK', { determinedOn: red.effectiveOn, field: 'COURT' });
    await objectionDecided(system.databases.listings, { entryId: wrong.id, upheld: true, on: '2026-05-20', reason: '认定错误' }, '2026-05-20');
    expect(await entry(code, red.id)).toMatchObject({ status: 'EXITED', exit: { way: 'SUPERSEDED', reason: expect.stringContaining(right.id) } });
    expect(JSON.stringify(await entries(code))).not.toContain(wrong.id);

    const other = await register();
    clock.set('2026-03-02');
    const shortRed = await determine(other, 'RED', { validUntil: '2026-06-30' });
    await at(shortRed.effectiveOn);
    const black = await determine(other, 'BLACK', { determinedOn: shortRed.effectiveOn });
    await objectionDecided(system.databases.listings, { entryId: black.id, upheld: true, on: '2026-08-03', reason: '认定错误' }, '2026-08-03');
    expect(await entry(other, shortRed.id)).toMatchObject({ status: 'EXITED', exit: { way: 'EXPIRED', on: '2026-07-01' } });
  });

  test('R2, L4: a red entry held by an objection when a wrong black listing ended it comes back held, and waits for the decision', async () => {
    const code = await register();
    const red = await determine(code, 'RED');
    await objectionFiled(system.databases.listings, { entryId: red.id });
    const black = await determine(code, 'BLACK');
    expect(await entry(code, red.id)).toMatchObject({ status: 'EXITED', exit: { way: 'SUPERSEDED' } });
    await objectionDecided(system.databases.listings, { entryId: black.id, upheld: true, on: red.effectiveOn, reason: '认定错误' }, red.effectiveOn);
    await at(red.effectiveOn);
    expect(await entry(code, red.id)).toMatchObject({ status: 'NOTICE', exit: null });
    await objectionDecided(system.databases.listings, { entryId: red.id, upheld: false, on: red.effectiveOn, reason: '异议不成立' }, red.effectiveOn);
    expect(await entry(code, red.id)).toMatchObject({ status: 'EFFECTIVE' });
  });

  test('R2, L8(a): a black listing by transfer from focus (L7) found wrong gives the focus entry back', async () => {
    const code = await register();
    const focus = await determine(code, 'FOCUS', { validUntil: '2026-12-31' });
    clock.set('2026-05-06');
    const black = await determine(code, 'BLACK', { fromFocusEntry: focus.id });
    await objectionDecided(system.databases.listings, { entryId: black.id, upheld: true, on: '2026-05-20', reason: '认定错误' }, '2026-05-20');
    expect(await entries(code)).toEqual([expect.objectContaining({ id: focus.id, kind: 'FOCUS', status: 'EFFECTIVE', exit: null })]);
  });

  test('L8(c) and L9(c): validity ends by itself; a black expiry puts the subject on focus, a red one does not', async () => {
    const code = await register();
    const black = await determine(code, 'BLACK', { validUntil: '2026-09-30', focusMonthsAfterExit: 3 });
    const other = await register();
    clock.set('2026-03-02');
    const red = await determine(other, 'RED', { validUntil: '2026-09-30' });
    await at('2026-09-30');
    expect(await entry(code, black.id)).toMatchObject({ status: 'EFFECTIVE' });
    await at('2026-10-01');
    expect(await entry(code, black.id)).toMatchObject({ status: 'EXITED', exit: { way: 'EXPIRED', on: '2026-10-01' } });
    expect((await entries(code)).filter((e) => e.kind === 'FOCUS')).toEqual([
      expect.objectContaining({ status: 'EFFECTIVE', determinedOn: '2026-10-01', validUntil: '2027-01-01' }),
    ]);
    expect(await entry(other, red.id)).toMatchObject({ status: 'EXITED', exit: { way: 'EXPIRED' } });
    expect((await entries(other)).filter((e) => e.kind === 'FOCUS')).toEqual([]);
  });

  test('L10, L11: an exited entry stays in the back end, not public; unpublished focus is not public', async () => {
    const code = await register();
    const black = await determine(code, 'BLACK');
    const focus = await determine(code, 'FOCUS', { field: 'COURT' });
    const publicIds = async () =>
      (await call('query($c: ID!) { subject(code: $c) { entries { id } } }', { c: code }, {})).data.subject.entries.map((e: any) => e.id);
    expect(await publicIds()).toEqual([black.id]);
    await call('mutation($i: ExitEntryInput!) { exitEntry(input: $i) { id } }', {
      i: { id: black.id, way: 'STANDARD_CHANGED', on: '2026-03-02', reason: '标准调整' },
    });
    expect(await publicIds()).not.toContain(black.id);
    expect((await entries(code)).map((e) => e.id)).toEqual(expect.arrayContaining([black.id, focus.id]));
  });

  test("a subject's status as of a date: statusOn and entries(asOf:)", async () => {
    const code = await register();
    const red = await determine(code, 'RED', { validUntil: '2026-12-31' });
    const q = `query($c: ID!, $d: Date!) { subject(code: $c) { entries(asOf: $d) { id s: statusOn(date: $d) } } }`;
    const on = async (d: string) => (await call(q, { c: code, d })).data.subject.entries;
    expect(await on('2026-03-01')).toEqual([]);
    expect(await on('2026-03-03')).toEqual([{ id: red.id, s: 'NOTICE' }]);
    expect(await on('2026-06-01')).toEqual([{ id: red.id, s: 'EFFECTIVE' }]);
    expect(await on('2027-01-01')).toEqual([{ id: red.id, s: 'EXITED' }]);
  });

  test("scenario: two years of a subject's life — black, objected and rejected, repaired, focus, focus expired", async () => {
    const code = await register();
    const file = async () => (await entries(code)).map((e) => ({ kind: e.kind, status: e.status, way: e.exit?.way ?? null }));
    clock.set('2026-03-02');
    const black = await determine(code, 'BLACK', { validUntil: '2029-03-01', focusMonthsAfterExit: 6 });
    expect(await file()).toEqual([{ kind: 'BLACK', status: 'EFFECTIVE', way: null }]);

    await at('2026-04-15'); // the subject objects; the authority rejects (R1): nothing changes
    await objectionFiled(system.databases.listings, { entryId: black.id });
    await objectionDecided(system.databases.listings, { entryId: black.id, upheld: false, on: '2026-04-28', reason: '认定事实清楚' }, '2026-04-28');
    expect(await file()).toEqual([{ kind: 'BLACK', status: 'EFFECTIVE', way: null }]);

    await at('2027-03-15'); // rectified, repaired after the minimum period: repair approved (R7 → L8b)
    const approved = fromRepair(REPAIR_EVENTS.repairApproved, { entryId: black.id, on: '2027-03-15', reason: '信用修复通过' });
    expect(await deliver(approved)).toBe(true);
    expect(await deliver(approved)).toBe(false); // delivered twice (at least once): handled once
    expect(await file()).toEqual(
      expect.arrayContaining([
        { kind: 'BLACK', status: 'EXITED', way: 'REPAIRED' },
        { kind: 'FOCUS', status: 'EFFECTIVE', way: null },
      ]),
    );
    expect(await file()).toHaveLength(2);

    await at('2027-09-15'); // the focus period (6 months) ends by itself
    expect(await file()).toEqual(expect.arrayContaining([{ kind: 'FOCUS', status: 'EFFECTIVE', way: null }]));
    await at('2027-09-16');
    expect(await file()).toEqual(
      expect.arrayContaining([
        { kind: 'BLACK', status: 'EXITED', way: 'REPAIRED' },
        { kind: 'FOCUS', status: 'EXITED', way: 'EXPIRED' },
      ]),
    );

    await at('2028-03-01'); // two years on: nothing is active, and the public sees nothing
    expect((await call('query($c: ID!) { subject(code: $c) { entries { id } } }', { c: code }, {})).data.subject.entries).toEqual([]);
  });
});
