import { createWorkingDayCalendar, loadArrangements, withProvisionalYears, type YearArrangement } from '../../lib/domain/calendar/index.js';
import { recountProvisionalDeadlines } from '../../lib/domain/calendar/provisionalDeadlines.js';
import type { Clock } from '../../lib/platform/clock.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/kit/backends.js';
import { callerOf } from '../../test/kit/callers.js';
import { freshCreditCode } from '../../test/kit/codes.js';
import { execute } from '../../test/kit/execute.js';
import { createListingsServer } from './server.js';

/**
 * CAL through the listings subgraph: a red entry's publicity (L4) that runs into a year without a holiday notice is
 * counted on the computed calendar, said to be provisional, and counted again when the notice is added.
 */
const announced = loadArrangements().filter((a) => a.year <= 2026);
const withoutNotice = createWorkingDayCalendar(withProvisionalYears(announced));
// a 2027 notice as the State Council might word it: New Year 1–4 January, Saturday the 9th worked
const notice2027: YearArrangement = {
  year: 2027,
  notices: [{ title: '国务院办公厅关于2027年部分节假日安排的通知', number: 'test', issued: '2026-12-01' }],
  daysOff: [{ name: '元旦', from: '2027-01-01', to: '2027-01-04' }],
  workingDays: [{ name: '元旦', date: '2027-01-09' }],
};
const withNotice = createWorkingDayCalendar(withProvisionalYears([...announced, notice2027]));
const clock: Clock = { now: () => new Date('2026-12-28T02:00:00Z'), today: () => '2026-12-28' };

describe.each(backends)('CAL: provisional deadlines in listings ($name)', (backend) => {
  let t: TestDatabase;
  let service: ReturnType<typeof createListingsServer>;
  beforeAll(async () => {
    t = await openTestDatabase(backend, 'provisional');
    service = createListingsServer({ db: t.db, clock, calendar: withoutNotice });
    await service.migrate();
    await service.apollo.start();
  }, 120_000);
  afterAll(async () => {
    await service?.apollo.stop();
    await t?.dispose();
  });

  const ndrc = callerOf('department', { department: 'NDRC', scopes: ['listing:write', 'credit:read'] });
  const redCandidate = async () => {
    const code = freshCreditCode();
    await execute(
      service,
      'mutation($i: RegisterSubjectInput!) { registerSubject(input: $i) { code } }',
      { i: { code, kind: 'ORGANISATION', name: `红名单 ${code}` } },
      ndrc,
    );
    const res = await execute<{ determineEntry: { id: string; effectiveOn: string; effectiveOnProvisional: boolean } }>(
      service,
      'mutation($i: DetermineEntryInput!) { determineEntry(input: $i) { id effectiveOn effectiveOnProvisional } }',
      { i: { code, kind: 'RED', field: 'TAX', facts: '纳税信用A级', authority: 'NDRC', basis: '依据', determinedOn: '2026-12-28' } },
      ndrc,
    );
    expect(res.errors).toBeUndefined();
    return res.data!.determineEntry;
  };
  const effectiveOn = async (id: string) => (await t.db.query<{ d: string }>('SELECT effective_on::text AS d FROM list_entries WHERE id = $1', [id]))[0]!.d;

  test('a publicity running into 2027 is counted on the computed year and marked provisional', async () => {
    // 29, 30, 31 December (3); 1 January off (New Year), 2–3 weekend; 4, 5, 6, 7 January (7)
    expect(await redCandidate()).toMatchObject({ effectiveOn: '2027-01-07', effectiveOnProvisional: true });
  });

  test('adding the notice moves it to what the notice says, once, and it is no longer provisional', async () => {
    const red = await redCandidate();
    const recount = await recountProvisionalDeadlines(t.db, withNotice);
    expect(recount.moved).toContainEqual({ table: 'list_entries', column: 'effective_on', id: red.id, from: '2027-01-07', to: '2027-01-08' });
    expect(await effectiveOn(red.id)).toBe('2027-01-08'); // 29, 30, 31; 1–4 off; 5, 6, 7, 8
    const again = await recountProvisionalDeadlines(t.db, withNotice);
    expect(again).toEqual({ moved: [], settled: 0, provisional: 0 });
  });

  test('a recount on the same calendar changes nothing', async () => {
    const red = await redCandidate();
    const recount = await recountProvisionalDeadlines(t.db, withoutNotice);
    expect(recount.moved).toEqual([]);
    expect(recount.provisional).toBeGreaterThanOrEqual(1);
    expect(await effectiveOn(red.id)).toBe('2027-01-07');
  });
});
