import type { Database } from '../../lib/db/index.js';
import type { DemoDataset } from '../../lib/demo/dataset.js';
import type { WorkingDayCalendar } from '../../lib/calendar/index.js';
import { defaultSeverity } from '../../lib/publication.js';
import { ListingsStore } from './store.js';
import type { ListingTerms } from './terms.js';

/** Loads the demonstration subjects and entries into an empty listings database, in one transaction. */
export async function seedListings(db: Database, data: DemoDataset, today: string, calendar: WorkingDayCalendar, terms: ListingTerms): Promise<boolean> {
  return db.transaction(async (tx) => {
    const store = new ListingsStore(tx);
    if ((await store.subjectCount()) > 0) return false;
    for (const s of data.subjects) await store.insertSubject({ ...s, lei: null });
    for (const e of data.entries) {
      await store.insertEntry({
        ...e,
        repairable: true,
        repairableFrom: null,
        severity: defaultSeverity(e.kind),
        focusMonths: 12,
        effectiveOn: e.status === 'NOTICE' ? calendar.addWorkingDays(e.determinedOn, terms.publicityWorkingDays) : null,
        held: false,
        lateReport: false,
        penaltyDecidedOn: null,
        latePublication: false, reportedOn: e.determinedOn > today ? today : e.determinedOn });
      await store.recordEvent(e.id, 'seed', 'DETERMINED', 'demonstration data', { status: e.status });
    }
    return true;
  });
}
