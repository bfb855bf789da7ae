import { chinaCalendar } from '../../lib/domain/calendar/index.js';
import type { Clock } from '../../lib/platform/clock.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/kit/backends.js';
import { freshCreditCode } from '../../test/kit/codes.js';
import { determineEntry, type DetermineDeps } from './determineEntry.js';
import { advance } from './lifecycle.js';
import { registerSubject } from './registerSubject.js';
import { createListingsServer } from './server.js';
import { ListingsStore } from './store.js';
import { DEFAULT_TERMS } from './terms.js';

/** What time does by itself (L8c, L9c), read a page of due entries at a time. */
const TODAY = '2026-11-23';
const clock: Clock = { now: () => new Date(`${TODAY}T02:00:00Z`), today: () => TODAY };

describe.each(backends)('the daily advance ($name)', (backend) => {
  let t: TestDatabase;
  let deps: DetermineDeps;
  beforeAll(async () => {
    t = await openTestDatabase(backend, 'advance');
    await createListingsServer({ db: t.db, clock }).migrate();
    deps = { db: t.db, clock, calendar: chinaCalendar, terms: DEFAULT_TERMS, legacyCreditCodes: new Set() };
  }, 120_000);
  afterAll(() => t?.dispose());

  test('L8c, L9c: every entry whose validity ended exits, however many pages they take, and a second run changes nothing', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 7; i++) {
      const code = freshCreditCode();
      await registerSubject(t.db, new Set(), { code, kind: 'ORGANISATION', name: `期满测试 ${code}` });
      await determineEntry(deps, 'STA', {
        code,
        kind: i % 2 === 0 ? 'FOCUS' : 'BLACK',
        field: 'TAX',
        facts: '期满',
        authority: 'STA',
        basis: '测试依据',
        determinedOn: '2026-11-20',
        validUntil: '2027-11-20',
      });
      codes.push(code);
    }
    const store = new ListingsStore(t.db);
    const later = '2031-01-05';
    const { expired } = await advance(t.db, later, 2);
    expect(expired).toBeGreaterThanOrEqual(7);
    const entries = await store.entriesBySubjects(codes);
    expect(entries.filter((e) => e.status !== 'EXITED')).toEqual([]);
    expect(await advance(t.db, later, 2)).toEqual({ effective: 0, expired: 0 });
  }, 120_000);
});
