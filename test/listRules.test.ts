import { SimulatedClock } from '../lib/platform/clock.js';
import { creditCodeCheckChar } from '../lib/domain/identifiers/index.js';
import type { RunningSystem } from '../scripts/system.js';
import { backends } from './kit/backends.js';
import { graphql, startTestSystem } from './kit/system.js';
import { as } from './kit/tokens.js';

/** List rules that follow from recorded facts (domain.md L2, L3, L8, L9), driven through the gateway. */
// a fixed day: working-day deadlines must fall within the calendar's years whenever the suite runs
const TODAY = '2026-10-15';
let serial = 0;
const newCode = () => {
  const first17 = `91110108MA${String(Date.now() % 1e6).padStart(6, '0')}${serial++ % 10}`;
  return first17 + creditCodeCheckChar(first17);
};

const ENTRY = 'id kind status field validUntil exit { way on reason }';
const FILE = `query($c: ID!) { subject(code: $c) { entries { ${ENTRY} history { action reason } } } }`;

describe.each(backends)('list rules through the gateway ($name)', (backend) => {
  let system: RunningSystem;
  let sta: Record<string, string>;
  beforeAll(async () => {
    system = await startTestSystem(backend, { seed: false, clock: new SimulatedClock(TODAY) });
    sta = await as({ caller: 'department', department: 'STA', scopes: ['credit:read', 'listing:write'] });
  });
  afterAll(() => system?.stop());

  const call = (query: string, variables: Record<string, unknown> = {}, headers = sta) => graphql<any>(system.gatewayUrl, query, variables, headers);
  const register = async () => {
    const code = newCode();
    const res = await call('mutation($c: ID!) { registerSubject(input: { code: $c, kind: ORGANISATION, name: "规则测试有限公司" }) { code } }', { c: code });
    expect(res.errors).toBeUndefined();
    return code;
  };
  const determine = (code: string, kind: string, extra: Record<string, unknown> = {}) =>
    call(`mutation($i: DetermineEntryInput!) { determineEntry(input: $i) { ${ENTRY} } }`, {
      i: { code, kind, field: 'TAX', facts: '事实', authority: 'STA', basis: '依据', determinedOn: '2026-03-02', validUntil: '2029-03-02', ...extra },
    });
  const exit = (id: string, way: string, on = '2026-10-09', headers = sta) =>
    call(`mutation($i: ExitEntryInput!) { exitEntry(input: $i) { ${ENTRY} } }`, { i: { id, way, on, reason: '依规退出' } }, headers);
  const file = async (code: string) => (await call(FILE, { c: code })).data.subject.entries as any[];
  const rows = async (code: string) =>
    (await system.databases.listings.query<{ n: number }>('SELECT count(*)::int AS n FROM list_entries WHERE subject_code = $1', [code]))[0]!.n;

  test('L3: a red entry is refused while the subject has an active black entry, and nothing is written', async () => {
    const code = await register();
    await determine(code, 'BLACK');
    const refused = await determine(code, 'RED');
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'RULE_REFUSED', rule: 'L3' });
    expect(await rows(code)).toBe(1);
  });

  test('L3 (L9b): a red entry is refused while a focus entry is active', async () => {
    const code = await register();
    await determine(code, 'FOCUS');
    expect((await determine(code, 'RED')).errors![0]!.extensions).toMatchObject({ code: 'RULE_REFUSED', rule: 'L3' });
  });

  test("L2: a black entry ends the subject's red entries (SUPERSEDED, reason: blacklisted)", async () => {
    const code = await register();
    const red = (await determine(code, 'RED', { determinedOn: '2026-01-05' })).data.determineEntry;
    const black = (await determine(code, 'BLACK')).data.determineEntry;
    const entries = await file(code);
    const ended = entries.find((e) => e.id === red.id);
    expect(ended).toMatchObject({ status: 'EXITED', exit: { way: 'SUPERSEDED', on: '2026-03-02', reason: expect.stringContaining('blacklisted') } });
    expect(ended.history.map((h: any) => h.action)).toEqual(['DETERMINED', 'EXITED']);
    expect(entries.find((e) => e.id === black.id)).toMatchObject({ status: 'EFFECTIVE', exit: null });
  });

  test('L8(a): a wrongful black listing is deleted and nothing of it is kept, and no focus follows', async () => {
    const code = await register();
    const black = (await determine(code, 'BLACK')).data.determineEntry;
    const res = await exit(black.id, 'WRONGFUL');
    expect(res.errors).toBeUndefined();
    expect(res.data.exitEntry).toBeNull();
    expect(await file(code)).toEqual([]);
    expect(await rows(code)).toBe(0);
    const history = await system.databases.listings.query('SELECT 1 FROM entry_changes WHERE entry_id = $1', [black.id]);
    expect(history).toEqual([]);
  });

  // L8(b), the same consequence after an approved repair: test/objectionsAndRepair.test.ts, test/listLifecycle.test.ts
  test('L8(d): a black exit on a change of standard puts the subject on focus at once, for the period set at determination', async () => {
    const code = await register();
    const black = (await determine(code, 'BLACK', { focusMonthsAfterExit: 6 })).data.determineEntry;
    const res = await exit(black.id, 'STANDARD_CHANGED');
    expect(res.data.exitEntry).toMatchObject({ id: black.id, status: 'EXITED', exit: { way: 'STANDARD_CHANGED', on: '2026-10-09' } });
    const focus = (await file(code)).filter((e) => e.kind === 'FOCUS');
    expect(focus).toEqual([expect.objectContaining({ status: 'EFFECTIVE', field: 'TAX', validUntil: '2027-04-09', exit: null })]);
  });

  test('R7, L8(b): the authority cannot exit an entry as REPAIRED by hand; only an approved repair application does', async () => {
    const code = await register();
    const black = (await determine(code, 'BLACK', { repairable: false })).data.determineEntry;
    const before = await file(code);
    expect((await exit(black.id, 'REPAIRED')).errors![0]!.extensions).toMatchObject({ code: 'RULE_REFUSED', rule: 'R7', argument: 'way' });
    expect(await file(code)).toEqual(before);
  });

  test('L8(c): a black entry cannot be exited as expired before its validity ends', async () => {
    const code = await register();
    const black = (await determine(code, 'BLACK')).data.determineEntry;
    expect((await exit(black.id, 'EXPIRED')).errors![0]!.extensions).toMatchObject({ code: 'ILLEGAL_TRANSITION', rule: 'L8c' });
  });

  test('L9: a red entry leaves only in the ways of L9, and no focus follows', async () => {
    const code = await register();
    const red = (await determine(code, 'RED')).data.determineEntry;
    expect((await exit(red.id, 'REPAIRED')).errors![0]!.extensions).toMatchObject({ code: 'ILLEGAL_TRANSITION', rule: 'L9' });
    expect((await exit(red.id, 'STANDARD_CHANGED')).data.exitEntry).toMatchObject({ status: 'EXITED', exit: { way: 'STANDARD_CHANGED' } });
    expect((await file(code)).filter((e) => e.kind === 'FOCUS')).toEqual([]);
  });

  test('illegal transitions change nothing: exiting an exited entry, another department ending an entry', async () => {
    const code = await register();
    const black = (await determine(code, 'BLACK')).data.determineEntry;
    const other = await as({ caller: 'department', department: 'MEE', scopes: ['credit:read', 'listing:write'] });
    expect((await exit(black.id, 'REPAIRED', '2026-10-09', other)).errors![0]!.extensions!.code).toBe('FORBIDDEN');
    await exit(black.id, 'STANDARD_CHANGED');
    const before = await file(code);
    expect((await exit(black.id, 'EXPIRED')).errors![0]!.extensions!.code).toBe('ILLEGAL_TRANSITION');
    expect(await file(code)).toEqual(before);
  });
});

describe.each(backends)('listings publishes what the other subgraphs act on ($name)', (backend) => {
  let system: RunningSystem;
  let sta: Record<string, string>;
  const seen: { type: string; payload: any }[] = [];
  let subscription: { close(): Promise<void> };
  beforeAll(async () => {
    system = await startTestSystem(backend, { seed: false, clock: new SimulatedClock(TODAY) });
    sta = await as({ caller: 'department', department: 'STA', scopes: ['credit:read', 'listing:write'] });
    subscription = await system.bus.subscribe(`observer-${process.pid}`, async (e) => void seen.push({ type: e.type, payload: e.payload }));
  });
  afterAll(async () => {
    await subscription?.close();
    await system?.stop();
  });
  const call = (query: string, variables: Record<string, unknown> = {}) => graphql<any>(system.gatewayUrl, query, variables, sta);
  const eventsOf = async (entryId: string, count: number) => {
    for (let i = 0; i < 100 && seen.filter((e) => e.payload.entryId === entryId).length < count; i++) await new Promise((r) => setTimeout(r, 50));
    return seen.filter((e) => e.payload.entryId === entryId).map((e) => e.type);
  };

  test('a determined entry, its effect and its exit are published once each; a refused change publishes nothing', async () => {
    const code = newCode();
    await call('mutation($c: ID!) { registerSubject(input: { code: $c, kind: ORGANISATION, name: "事件测试有限公司" }) { code } }', { c: code });
    const input = { code, field: 'TAX', facts: '事实', authority: 'STA', basis: '依据', determinedOn: '2026-03-02' };
    const black = (await call('mutation($i: DetermineEntryInput!) { determineEntry(input: $i) { id } }', { i: { ...input, kind: 'BLACK' } })).data
      .determineEntry;
    const refused = await call('mutation($i: DetermineEntryInput!) { determineEntry(input: $i) { id } }', { i: { ...input, kind: 'RED' } });
    expect(refused.errors![0]!.extensions!.code).toBe('RULE_REFUSED');
    await call('mutation($i: ExitEntryInput!) { exitEntry(input: $i) { id } }', {
      i: { id: black.id, way: 'STANDARD_CHANGED', on: '2026-10-09', reason: '标准调整' },
    });
    expect(await eventsOf(black.id, 3)).toEqual(['listings.entry.determined', 'listings.entry.effective', 'listings.entry.exited']);
    // what repair needs to take objections and applications: severity, and validity capped at its maximum (3 years)
    expect(seen.find((e) => e.type === 'listings.entry.determined' && e.payload.entryId === black.id)!.payload).toMatchObject({
      subjectCode: code,
      kind: 'BLACK',
      authority: 'STA',
      status: 'EFFECTIVE',
      severity: 'SERIOUS',
      determinedOn: '2026-03-02',
      validUntil: '2029-03-02',
      repairable: true,
    });
    // the focus entry that follows (L8) is announced as determined and effective too; nothing else was published
    await new Promise((r) => setTimeout(r, 300));
    const forSubject = seen.filter((e) => e.payload.subjectCode === code);
    expect(forSubject.map((e) => `${e.type}:${e.payload.kind}`).sort()).toEqual([
      'listings.entry.determined:BLACK',
      'listings.entry.determined:FOCUS',
      'listings.entry.effective:BLACK',
      'listings.entry.effective:FOCUS',
      'listings.entry.exited:BLACK',
    ]);
  });
});
