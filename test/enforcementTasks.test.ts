import { SimulatedClock } from '../lib/platform/clock.js';
import { creditCodeCheckChar } from '../lib/domain/identifiers/index.js';
import type { RunningSystem } from '../scripts/system.js';
import { measuresFor } from '../subgraphs/enforcement/catalogue/index.js';
import { backends } from './kit/backends.js';
import { graphql, startTestSystem } from './kit/system.js';
import { eventually } from './kit/traces.js';
import { as } from './kit/tokens.js';

/** E1 and E5, driven by listings' events: tasks follow entries into and out of force. */
let serial = 0;
const codeIn = (region: string) => {
  const first17 = `91${region}MA${String(process.pid % 1e4).padStart(4, '0')}${String(serial++).padStart(3, '0')}`;
  return first17 + creditCodeCheckChar(first17);
};

describe.each(backends)('joint-enforcement tasks from list entries ($name)', (backend) => {
  let system: RunningSystem;
  let sta: Record<string, string>;
  const clock = new SimulatedClock('2026-10-15');
  beforeAll(async () => {
    system = await startTestSystem(backend, { seed: false, clock });
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
  const tasks = (code: string, expected: number) =>
    eventually(
      async (): Promise<any[]> => (await call('query($c: ID!) { subject(code: $c) { tasks { department measure status } } }', { c: code })).data.subject.tasks,
      (found) => found.length >= expected,
    );

  test("E1: an effective black entry initiates one task per measure and department, routed by the subject's region", async () => {
    const shanghai = await listBlack('310115');
    const zhejiang = await listBlack('330106');
    const expected = (region: string) =>
      measuresFor({ kind: 'BLACK', field: 'TAX', region })
        .flatMap((m) => m.departments.map((d) => `${d}:${m.code}`))
        .sort();
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
    await call('mutation($i: ExitEntryInput!) { exitEntry(input: $i) { id } }', {
      i: { id: entryId, way: 'STANDARD_CHANGED', on: '2026-10-14', reason: '标准调整' },
    });
    const after = await eventually(
      () => tasks(code, before.length),
      (found) => found.every((t) => t.status === 'WITHDRAWN'),
    );
    expect(after.map((t) => t.status)).toEqual(before.map(() => 'WITHDRAWN'));
  });

  test('R2, L8(a): a wrongful listing leaves no task behind', async () => {
    const { code, entryId } = await listBlack('330106');
    await tasks(code, 1);
    await call('mutation($i: ExitEntryInput!) { exitEntry(input: $i) { id } }', { i: { id: entryId, way: 'WRONGFUL', on: '2026-10-14', reason: '认定错误' } });
    const left = await eventually(
      async () => (await system.databases.enforcement.query<{ n: number }>('SELECT count(*)::int AS n FROM tasks WHERE entry_id = $1', [entryId]))[0]!.n,
      (n) => n === 0,
    );
    expect(left).toBe(0);
  });

  test('E2, E3: a department acknowledges its own task and reports once per key; another department cannot; a withdrawn task takes nothing', async () => {
    const { code, entryId } = await listBlack('310115');
    const [first] = await tasks(code, 1);
    const taskOf = async () =>
      (
        await call('query($c: ID!) { subject(code: $c) { tasks { id department measure status feedback { key outcome } } } }', { c: code })
      ).data.subject.tasks.find((t: any) => t.department === first.department && t.measure === first.measure);
    const task = await taskOf();
    const own = await as({ caller: 'department', department: task.department, scopes: ['enforcement:act', 'credit:read'] });
    const other = await as({ caller: 'department', department: task.department === 'MOF' ? 'PBOC' : 'MOF', scopes: ['enforcement:act'] });
    const act = (query: string, variables: Record<string, unknown>, headers: Record<string, string>) =>
      graphql<any>(system.gatewayUrl, query, variables, headers);
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

    await call('mutation($i: ExitEntryInput!) { exitEntry(input: $i) { id } }', {
      i: { id: entryId, way: 'STANDARD_CHANGED', on: '2026-10-15', reason: '标准调整' },
    });
    await eventually(
      async () => (await tasks(code, 1)).filter((t) => t.status !== 'FED_BACK'),
      (open) => open.length > 0 && open.every((t) => t.status === 'WITHDRAWN'),
    );
    const withdrawn = (await call('query($c: ID!) { subject(code: $c) { tasks { id department status } } }', { c: code })).data.subject.tasks.find(
      (t: any) => t.status === 'WITHDRAWN',
    );
    const itsOwner = await as({ caller: 'department', department: withdrawn.department, scopes: ['enforcement:act'] });
    expect((await act(ACK, { id: withdrawn.id }, itsOwner)).errors![0]!.extensions).toMatchObject({ code: 'ILLEGAL_TRANSITION', rule: 'E5' });
    expect((await taskOf()).status).toBe('FED_BACK'); // done work stays done (E5 withdraws open tasks only)
  });

  test('L8(a): a task whose entry listings has just deleted (enforcement has not heard yet) reads with entry null; the file stands', async () => {
    const { code, entryId } = await listBlack('310115');
    await tasks(code, 1);
    const orphan = '00000000-0000-4000-8000-00000000dead';
    await system.databases.enforcement.query(
      "INSERT INTO tasks (id, entry_id, subject_code, department, authority, region, measure, status, initiated_on) VALUES ($1, $1, $2, 'MOF', 'STA', '310115', 'M-ORPHAN', 'INITIATED', '2026-10-12')",
      [orphan, code],
    );
    try {
      const res = await call('query($c: ID!) { subject(code: $c) { code tasks { id entry { id kind } } } }', { c: code });
      expect(res.data.subject.code).toBe(code);
      expect(res.data.subject.tasks.find((t: any) => t.id === orphan).entry).toBeNull();
      expect(res.data.subject.tasks.filter((t: any) => t.entry?.id === entryId).every((t: any) => t.entry.kind === 'BLACK')).toBe(true);
    } finally {
      await system.databases.enforcement.query('DELETE FROM tasks WHERE id = $1', [orphan]);
    }
  });

  describe('E4: credit checks', () => {
    const CHECK =
      'query($c: ID!, $s: Scenario!) { creditCheck(code: $c, scenario: $s) { code verdict measures { code effect memorandum { documentNumber } } entries { id kind } } }';
    let checker: Record<string, string>;
    beforeAll(async () => {
      checker = await as({ caller: 'department', department: 'MOF', scopes: ['check:run'] });
    });
    const check = (code: string, scenario: string, headers = checker) => graphql<any>(system.gatewayUrl, CHECK, { c: code, s: scenario }, headers);
    const until = async (code: string, scenario: string, verdict: string) =>
      (
        await eventually(
          () => check(code, scenario),
          (res) => res.data?.creditCheck.verdict === verdict,
        )
      ).data.creditCheck;

    test('a black subject is RESTRICTED with the measures of its entries in this scenario; after the exit, CLEAR', async () => {
      const { code, entryId } = await listBlack('310115');
      const expected = measuresFor({ kind: 'BLACK', field: 'TAX', region: '310115' }, 'FINANCING')
        .map((m) => m.code)
        .sort();
      expect(expected.length).toBeGreaterThan(0);
      const restricted = await until(code, 'FINANCING', 'RESTRICTED');
      expect(restricted.measures.map((m: any) => m.code).sort()).toEqual(expected);
      expect(restricted.measures.every((m: any) => m.effect === 'RESTRICTIVE' && m.memorandum.documentNumber)).toBe(true);
      expect(restricted.entries).toEqual([{ id: entryId, kind: 'BLACK' }]);
      await call('mutation($i: ExitEntryInput!) { exitEntry(input: $i) { id } }', {
        i: { id: entryId, way: 'STANDARD_CHANGED', on: '2026-10-15', reason: '标准调整' },
      });
      // E5, L8: the black entry's measures stop; the focus entry that follows carries its own (if any)
      const after = await until(code, 'FINANCING', 'CLEAR');
      expect(after.entries.map((e: any) => e.id)).not.toContain(entryId);
    });

    test('a red subject gets INCENTIVE with its measures', async () => {
      const code = codeIn('310115');
      await call('mutation($c: ID!) { registerSubject(input: { code: $c, kind: ORGANISATION, name: "守信企业" }) { code } }', { c: code });
      const red = (
        await call('mutation($i: DetermineEntryInput!) { determineEntry(input: $i) { id effectiveOn } }', {
          i: { code, kind: 'RED', field: 'TAX', facts: '纳税信用A级', authority: 'STA', basis: '依据', determinedOn: '2026-10-12' },
        })
      ).data.determineEntry;
      expect((await check(code, 'FINANCING')).data.creditCheck.verdict).toBe('CLEAR'); // in publicity (L4): not yet
      clock.set(red.effectiveOn); // publicity over: the entry takes effect by itself, and its measures apply
      try {
        await system.advance();
        const incentive = await until(code, 'FINANCING', 'INCENTIVE');
        const expected = measuresFor({ kind: 'RED', field: 'TAX', region: '310115' }, 'FINANCING')
          .map((m) => m.code)
          .sort();
        expect(expected.length).toBeGreaterThan(0);
        expect(incentive.measures.map((m: any) => m.code).sort()).toEqual(expected);
        expect(incentive.measures.every((m: any) => m.effect === 'INCENTIVE')).toBe(true);
        expect(incentive.entries).toEqual([{ id: red.id, kind: 'RED' }]);
      } finally {
        clock.set('2026-10-15');
      }
    });

    test('a batch answers in order, costs the same statements for 5 codes as for 50, and every check is recorded', async () => {
      const codes = await Promise.all(Array.from({ length: 5 }, () => listBlack('330106').then((s) => s.code)));
      // The five are listed at once, so their events may arrive in any order: wait for each.
      for (const code of codes) await until(code, 'FINANCING', 'RESTRICTED');
      const many = [...codes, ...Array.from({ length: 45 }, () => codeIn('110105'))];
      const q = 'query($c: [ID!]!, $s: Scenario!) { creditChecks(codes: $c, scenario: $s) { code verdict } }';
      const cost = async (list: string[]) => {
        const before = system.databases.enforcement.statementCount;
        const res = await graphql<any>(system.gatewayUrl, q, { c: list, s: 'FINANCING' }, checker);
        expect(res.data.creditChecks.map((c: any) => c.code)).toEqual(list);
        return { statements: system.databases.enforcement.statementCount - before, verdicts: res.data.creditChecks.map((c: any) => c.verdict) };
      };
      const few = await cost(codes);
      const lots = await cost(many);
      expect(lots.statements).toBe(few.statements);
      expect(lots.statements).toBeLessThanOrEqual(2);
      expect(lots.verdicts.slice(0, 5)).toEqual(Array(5).fill('RESTRICTED'));
      expect(lots.verdicts.slice(5)).toEqual(Array(45).fill('CLEAR'));
      const recorded = await system.databases.enforcement.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM credit_checks WHERE subject_code = ANY($1) AND scenario = 'FINANCING' AND department = 'MOF'",
        [many],
      );
      expect(recorded[0]!.n).toBeGreaterThanOrEqual(55);
    });

    test('checks need check:run (refused before they run, HTTP 403); a bad code is BAD_IDENTIFIER (HTTP 400)', async () => {
      const denied = await check(codeIn('310115'), 'PERMITS', await as({ caller: 'portal', scopes: ['credit:read'] }));
      expect(denied).toMatchObject({ status: 403, errors: [{ extensions: { code: 'FORBIDDEN' } }] });
      expect(denied.data).toBeUndefined();
      const bad = await check('91350100M000100Y4A', 'PERMITS');
      expect(bad).toMatchObject({ status: 400, errors: [{ extensions: { code: 'BAD_IDENTIFIER' } }] });
    });
  });

  test('E6: statistics per department and measure over a period; a department sees its own, an auditor all', async () => {
    const { code } = await listBlack('310115');
    const [first] = await tasks(code, 1);
    const q = 'query($f: Date!, $t: Date!) { enforcementStatistics(from: $f, to: $t) { department measure initiated acknowledged fedBack withdrawn } }';
    const own = await graphql<any>(
      system.gatewayUrl,
      q,
      { f: '2026-10-01', t: '2026-10-31' },
      await as({ caller: 'department', department: first.department, scopes: ['enforcement:act'] }),
    );
    expect(own.data.enforcementStatistics.length).toBeGreaterThan(0);
    expect(own.data.enforcementStatistics.every((r: any) => r.department === first.department)).toBe(true);
    const all = await graphql<any>(
      system.gatewayUrl,
      q,
      { f: '2026-10-01', t: '2026-10-31' },
      await as({ caller: 'department', department: 'NDRC', scopes: ['audit:read'] }),
    );
    const initiated = all.data.enforcementStatistics.reduce((n: number, r: any) => n + r.initiated, 0);
    const inTable = (
      await system.databases.enforcement.query<{ n: number }>("SELECT count(*)::int AS n FROM tasks WHERE initiated_on BETWEEN '2026-10-01' AND '2026-10-31'")
    )[0]!.n;
    expect(initiated).toBe(inTable);
    expect(new Set(all.data.enforcementStatistics.map((r: any) => r.department)).size).toBeGreaterThan(1);
    const none = await graphql<any>(
      system.gatewayUrl,
      q,
      { f: '2025-01-01', t: '2025-12-31' },
      await as({ caller: 'department', department: 'NDRC', scopes: ['audit:read'] }),
    );
    expect(none.data.enforcementStatistics).toEqual([]);
  });
});
