import { chinaCalendar } from '../../lib/domain/calendar/index.js';
import type { Clock } from '../../lib/platform/clock.js';
import { backends, openTestDatabase, type TestDatabase } from '../../test/kit/backends.js';
import { callerOf } from '../../test/kit/callers.js';
import { freshCreditCode } from '../../test/kit/codes.js';
import { determineEntry, type DetermineDeps, type DetermineEntryInput } from './determineEntry.js';
import { exitEntry } from './exitEntry.js';
import { advance } from './lifecycle.js';
import type { ListEntry } from './model.js';
import { registerSubject } from './registerSubject.js';
import { isActive } from './rules.js';
import { createListingsServer } from './server.js';
import { ListingsStore } from './store.js';
import { DEFAULT_TERMS } from './terms.js';

/**
 * The list rules under concurrent requests, on PostgreSQL (PGlite has one connection, so nothing there runs at once):
 * every path that changes a subject's entries locks the subject first, so rules that read several entries and write
 * from what they read (L2, L3, L6) decide on a state nobody is changing. Each race runs many times; a single bad
 * outcome fails.
 */
const postgres = backends.find((b) => b.name === 'postgres');
const TRIALS = 24;
const TODAY = '2026-11-23';
const clock: Clock = { now: () => new Date(`${TODAY}T02:00:00Z`), today: () => TODAY };

(postgres ? describe : describe.skip)('concurrent changes to one subject (PostgreSQL)', () => {
  let t: TestDatabase;
  let deps: DetermineDeps;

  beforeAll(async () => {
    t = await openTestDatabase(postgres!, 'race');
    await createListingsServer({ db: t.db, clock }).migrate();
    deps = { db: t.db, clock, calendar: chinaCalendar, terms: DEFAULT_TERMS, legacyCreditCodes: new Set() };
  }, 120_000);
  afterAll(() => t?.dispose());

  const organisation = async () => {
    const code = freshCreditCode();
    await registerSubject(t.db, new Set(), { code, kind: 'ORGANISATION', name: `并发测试 ${code}` });
    return code;
  };
  const entry = (code: string, kind: DetermineEntryInput['kind'], field = 'TAX', determinedOn = '2026-11-20'): DetermineEntryInput => ({
    code,
    kind,
    field,
    facts: `${kind} ${field}`,
    authority: 'STA',
    basis: '测试依据',
    determinedOn,
  });
  const entriesOf = (code: string) => new ListingsStore(t.db).entriesBySubjects([code]);
  const activeOf = (entries: readonly ListEntry[], kind: ListEntry['kind']) => entries.filter((e) => e.kind === kind && isActive(e, TODAY));

  test(`L2, L3: a red and a black determination sent at once never leave both in force (${TRIALS} trials)`, async () => {
    for (let i = 0; i < TRIALS; i++) {
      const code = await organisation();
      const [red, black] = await Promise.allSettled([determineEntry(deps, 'NDRC', entry(code, 'RED')), determineEntry(deps, 'STA', entry(code, 'BLACK'))]);
      expect(black.status).toBe('fulfilled');
      const entries = await entriesOf(code);
      expect(activeOf(entries, 'BLACK')).toHaveLength(1);
      expect(activeOf(entries, 'RED')).toEqual([]);
      // either refused (L3, it came second) or ended by the black entry (L2, it came first)
      if (red.status === 'rejected') expect((red.reason as { extensions?: { rule?: string } }).extensions?.rule).toBe('L3');
      else expect(entries.find((e) => e.kind === 'RED')?.exit?.way).toBe('SUPERSEDED');
    }
  }, 300_000);

  test(`L6: two focus entries at once taking a subject to three fields make one warning entry (${TRIALS} trials)`, async () => {
    for (let i = 0; i < TRIALS; i++) {
      const code = await organisation();
      await determineEntry(deps, 'STA', entry(code, 'FOCUS', 'TAX'));
      await Promise.all([determineEntry(deps, 'SAMR', entry(code, 'FOCUS', 'PRICING')), determineEntry(deps, 'MEE', entry(code, 'FOCUS', 'ENVIRONMENT'))]);
      expect(activeOf(await entriesOf(code), 'WARNING')).toHaveLength(1);
    }
  }, 300_000);

  test(`L6: a focus exit racing a focus determination leaves the warning list as the final fields say (${TRIALS} trials)`, async () => {
    for (let i = 0; i < TRIALS; i++) {
      const code = await organisation();
      const tax = await determineEntry(deps, 'STA', entry(code, 'FOCUS', 'TAX'));
      await determineEntry(deps, 'SAMR', entry(code, 'FOCUS', 'PRICING'));
      await Promise.all([
        determineEntry(deps, 'MEE', entry(code, 'FOCUS', 'ENVIRONMENT')),
        exitEntry(t.db, clock, callerOf('department', { department: 'STA' }), { id: tax.id, way: 'STANDARD_CHANGED', on: TODAY, reason: '标准变更' }),
      ]);
      const entries = await entriesOf(code);
      const fields = new Set(activeOf(entries, 'FOCUS').map((e) => e.field));
      expect(fields.size).toBe(2);
      expect(activeOf(entries, 'WARNING')).toEqual([]);
    }
  }, 300_000);

  test(`L3: a red entry whose publicity ends while a black determination runs is never in force beside it (${TRIALS} trials)`, async () => {
    for (let i = 0; i < TRIALS; i++) {
      const code = await organisation();
      const red = await determineEntry({ ...deps, clock: { now: clock.now, today: () => '2026-11-02' } }, 'NDRC', entry(code, 'RED', 'TAX', '2026-10-30'));
      expect(red.status).toBe('NOTICE'); // publicity of 7 working days from 2026-11-02 ended before TODAY
      await Promise.all([advance(t.db, TODAY), determineEntry(deps, 'STA', entry(code, 'BLACK'))]);
      const entries = await entriesOf(code);
      expect(activeOf(entries, 'BLACK')).toHaveLength(1);
      expect(activeOf(entries, 'RED')).toEqual([]);
      // and its record says so: ended, not effective with an exit beside it
      expect(entries.find((e) => e.kind === 'RED')).toMatchObject({ status: 'EXITED', exit: { way: 'SUPERSEDED' } });
    }
  }, 300_000);
});
