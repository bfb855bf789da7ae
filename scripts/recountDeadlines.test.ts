import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWorkingDayCalendar, loadArrangements, withProvisionalYears } from '../lib/domain/calendar/index.js';
import type { Clock } from '../lib/platform/clock.js';
import { openDatabase } from '../lib/platform/db/index.js';
import { createListingsServer } from '../subgraphs/listings/server.js';
import { callerOf } from '../test/kit/callers.js';
import { freshCreditCode } from '../test/kit/codes.js';
import { execute } from '../test/kit/execute.js';
import { runScript } from '../test/kit/runScript.js';

const recount = (dataDir: string) => runScript('scripts/recountDeadlines.ts', dataDir);

describe('npm run calendar:recount (CAL)', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'recount-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  test('moves a deadline counted before its year had a notice to what the notice says, and names it', async () => {
    // as if the service had run before the 2026 notice was added: 2026 computed (National Day 1–3 October only)
    const before2026Notice = createWorkingDayCalendar(withProvisionalYears(loadArrangements().filter((a) => a.year <= 2025)));
    const clock: Clock = { now: () => new Date('2026-09-28T02:00:00Z'), today: () => '2026-09-28' };
    const db = await openDatabase({ name: 'listings', dataDir });
    const service = createListingsServer({ db, clock, calendar: before2026Notice });
    let id = '';
    try {
      await service.migrate();
      await service.apollo.start();
      const ndrc = callerOf('department', { department: 'NDRC', scopes: ['listing:write'] });
      const code = freshCreditCode();
      await execute(
        service,
        'mutation($i: RegisterSubjectInput!) { registerSubject(input: $i) { code } }',
        { i: { code, kind: 'ORGANISATION', name: '重算测试' } },
        ndrc,
      );
      const red = await execute<{ determineEntry: { id: string; effectiveOn: string } }>(
        service,
        'mutation($i: DetermineEntryInput!) { determineEntry(input: $i) { id effectiveOn } }',
        { i: { code, kind: 'RED', field: 'TAX', facts: '守信', authority: 'NDRC', basis: '依据', determinedOn: '2026-09-28' } },
        ndrc,
      );
      // 29, 30 September; 1–3 October off; 5–9 October: the 7th working day is the 9th
      expect(red.data?.determineEntry.effectiveOn).toBe('2026-10-09');
      id = red.data!.determineEntry.id;
    } finally {
      await service.apollo.stop();
      await db.close();
    }

    const run = await recount(dataDir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // the notice: 1–7 October off, Saturday the 10th worked → 29, 30, 8, 9, 10, 12, 13
    expect(run.stdout).toContain(`list_entries.effective_on ${id}: 2026-10-09 → 2026-10-13`);
    expect(run.stdout).toMatch(/listings: 1 provisional deadline\(s\) moved .*, 1 settled, 0 still provisional/);
    expect(run.stdout).toMatch(/repair: no database at .* skipped/);

    const reopened = await openDatabase({ name: 'listings', dataDir });
    try {
      const [row] = await reopened.query<{ d: string }>('SELECT effective_on::text AS d FROM list_entries WHERE id = $1', [id]);
      expect(row?.d).toBe('2026-10-13');
    } finally {
      await reopened.close();
    }
  }, 120_000);
});
