import type { Database } from '../../lib/platform/db/index.js';
import type { DemoDataset } from '../../lib/demo/dataset.js';
import type { WorkingDayCalendar } from '../../lib/domain/calendar/index.js';
import { defaultSeverity } from '../../lib/domain/publication.js';
import { ListingsStore } from './store.js';
import type { ListingTerms } from './terms.js';

/**
 * Loads the demonstration subjects and entries into an empty listings database, in one transaction, and publishes
 * what its workflows would have published of them (determined; in force; exited): the other subgraphs build their
 * state from these events, as in production — enforcement its tasks (E1, E5) and projection, repair its entries.
 */
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
        latePublication: false,
        reportedOn: e.determinedOn > today ? today : e.determinedOn,
        follows: e.follows ?? null,
      });
      await store.recordChange(e.id, 'seed', 'DETERMINED', 'demonstration data', { status: e.status });
      const [entry] = await store.entriesByIds([e.id]);
      await store.publishDetermined(entry!);
      if (e.status !== 'NOTICE') await store.publishEffective(entry!, e.determinedOn);
      if (e.exit) await store.publishExited(entry!, e.exit);
    }
    return true;
  });
}
