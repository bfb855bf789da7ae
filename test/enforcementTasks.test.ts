import { SimulatedClock } from '../lib/clock.js';
import { creditCodeCheckChar } from '../lib/identifiers/index.js';
import type { RunningSystem } from '../scripts/system.js';
import { measuresFor } from '../subgraphs/enforcement/catalogue/index.js';
import { backends } from './support/backends.js';
import { graphql, startTestSystem } from './support/system.js';
import { as } from './support/tokens.js';

/** E1 and E5, driven by listings' events: tasks follow entries into and out of force. */
let serial = 0;
const codeIn = (region: string) => {
  const first17 = `91${region}MA${String(process.pid % 1e4).padStart(4, '0')}${String(serial++).padStart(3, '0')}`;
  return first17 + creditCodeCheckChar(first17);
};

describe.each(backends)('joint-enforcement tasks from list entries ($name)', (backend) => {
  let system: RunningSystem;
  let sta: Record<string, string>;
  beforeAll(async () => {
    system = await startTestSystem(backend, { seed: false, clock: new SimulatedClock('2026-10-15') });
    sta = await as({ caller: 'department', department: 'STA', scopes: ['credit:read', 'listing:write'] });
  });
  afterAll(() => system?.stop());

  const call = (query: string, variables: Record<string, unknown> = {}) => graphql<any>(system.gatewayUrl, query, variables, sta);
  const listBlack = async (region: string) => {
    const code = codeIn(region);
    await call('mutation($c: ID!) { registerSubject(input: { code: $c, kind: ORGANISATION, name: "联合惩戒测试有限公司" }) { code } }', { c: code });
    const black = await call('mutation($i: DetermineEntryInput!) { determineEntry(input: $i) { id } }', {
      i: { code, kind: 'BLACK', field: 'TAX', facts: '偷税', authority: 'STA', basis: '依据', determinedOn: '2026-10-12' },
    });
    return { code, entryId: black.data.determineEntry.id as string };
  };
  /** The determining authority follows every task its entries initiated (A1). */
  const tasks = async (code: string, expected: number) => {
    let found: any[] = [];
    for (let i = 0; i < 80; i++) {
      found = (await call('query($c: ID!) { subject(code: $c) { tasks { department measure status } } }', { c: code })).data.subject.tasks;
      if (found.length >= expected && (expected > 0 || i > 5)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    return found;
  };

  test('E1: an effective black entry initiates one task per measure and department, routed by the subject\'s region', async () => {
    const shanghai = await listBlack('310115');
    const zhejiang = await listBlack('330106');
    const expected = (region: string) =>
      measuresFor({ kind: 'BLACK', field: 'TAX', region }).flatMap((m) => m.departments.map((d) => `${d}:${m.code}`)).sort();
    expect(expected('310115')).not.toEqual(expected('330106')); // the catalogue has regional tax measures
    const sh = await tasks(shanghai.code, expected('310115').length);
    const zj = await tasks(zhejiang.code, expected('330106').length);
    expect(sh.map((t) => `${t.department}:${t.measure}`).sort()).toEqual(expected('310115'));
    expect(zj.map((t) => `${t.department}:${t.measure}`).sort()).toEqual(expected('330106'));
    expect(sh.every((t) => t.status === 'INITIATED')).toBe(true);
  });

  test('E5: when the entry exits, its open tasks are withdrawn', async () => {
    const { code, entryId } = await listBlack('310115');
    const before = await tasks(code, 1);
    await call('mutation($i: ExitEntryInput!) { exitEntry(input: $i) { id } }', { i: { id: entryId, way: 'STANDARD_CHANGED', on: '2026-10-14', reason: '标准调整' } });
    let after: any[] = [];
    for (let i = 0; i < 80; i++) {
      after = await tasks(code, before.length);
      if (after.every((t) => t.status === 'WITHDRAWN')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(after.map((t) => t.status)).toEqual(before.map(() => 'WITHDRAWN'));
  });

  test('R2, L8(a): a wrongful listing leaves no task behind', async () => {
    const { code, entryId } = await listBlack('330106');
    await tasks(code, 1);
    await call('mutation($i: ExitEntryInput!) { exitEntry(input: $i) { id } }', { i: { id: entryId, way: 'WRONGFUL', on: '2026-10-14', reason: '认定错误' } });
    let left = 1;
    for (let i = 0; i < 80 && left > 0; i++) {
      left = (await system.databases.enforcement.query<{ n: number }>('SELECT count(*)::int AS n FROM tasks WHERE entry_id = $1', [entryId]))[0]!.n;
      if (left > 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(left).toBe(0);
  });

  test('E2, E3: a department acknowledges its own task and reports once per key; another department cannot; a withdrawn task takes nothing', async () => {
    const { code, entryId } = await listBlack('310115');
    const [first] = await tasks(code, 1);
    const taskOf = async () =>
      (await call('query($c: ID!) { subject(code: $c) { tasks { id department measure status feedback { key outcome } } } }', { c: code })).data.subject.tasks.find(
        (t: any) => t.department === first.department && t.measure === first.measure,
      );
    const task = await taskOf();
    const own = await as({ caller: 'department', department: task.department, scopes: ['enforcement:act', 'credit:read'] });
    const other = await as({ caller: 'department', department: task.department === 'MOF' ? 'PBOC' : 'MOF', scopes: ['enforcement:act'] });
    const act = (query: string, variables: Record<string, unknown>, headers: Record<string, string>) => graphql<any>(system.gatewayUrl, query, variables, headers);
    const ACK = 'mutation($id: ID!) { acknowledgeTask(id: $id) { status } }';
    const FEEDBACK = 'mutation($i: FeedbackInput!) { reportFeedback(input: $i) { status feedback { key outcome on } } }';
    const report = { taskId: task.id, key: 'approval-2026-0042', scenario: 'FINANCING', outcome: '不予授信', on: '2026-10-15' };

    expect((await act(ACK, { id: task.id }, other)).errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect((await act(ACK, { id: task.id }, own)).data.acknowledgeTask).toEqual({ status: 'ACKNOWLEDGED' });
    expect((await act(FEEDBACK, { i: report }, other)).errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const once = await act(FEEDBACK, { i: report }, own);
    const twice = await act(FEEDBACK, { i: report }, own);
    expect(once.data.reportFeedback).toEqual({ status: 'FED_BACK', feedback: [{ key: report.key, outcome: '不予授信', on: '2026-10-15' }] });
    expect(twice.data.reportFeedback).toEqual(once.data.reportFeedback);

    await call('mutation($i: ExitEntryInput!) { exitEntry(input: $i) { id } }', { i: { id: entryId, way: 'STANDARD_CHANGED', on: '2026-10-15', reason: '标准调整' } });
    let others: any[] = [];
    for (let i = 0; i < 80; i++) {
      others = (await tasks(code, 1)).filter((t) => t.status !== 'FED_BACK');
      if (others.length > 0 && others.every((t) => t.status === 'WITHDRAWN')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const withdrawn = (await call('query($c: ID!) { subject(code: $c) { tasks { id department status } } }', { c: code })).data.subject.tasks.find((t: any) => t.status === 'WITHDRAWN');
    const itsOwner = await as({ caller: 'department', department: withdrawn.department, scopes: ['enforcement:act'] });
    expect((await act(ACK, { id: withdrawn.id }, itsOwner)).errors![0]!.extensions).toMatchObject({ code: 'ILLEGAL_TRANSITION', rule: 'E5' });
    expect((await taskOf()).status).toBe('FED_BACK'); // done work stays done (E5 withdraws open tasks only)
  });
});
