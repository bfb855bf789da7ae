import { chinaDateOf } from '../../lib/platform/clock.js';
import type { Database } from '../../lib/platform/db/index.js';
import { consumeEvents, type DeliveredEvent } from '../../lib/platform/events/index.js';
import { LISTINGS_EVENTS, type EntryDetermined } from '../../lib/contracts/events/listings.js';
import type { EntryFacts } from './model.js';
import { RepairStore } from './store.js';

/**
 * What repair does when listings tells it something: it keeps a projection of the entries (who may object or apply,
 * who decides, severity and repair terms), and forgets a deleted entry entirely (R2, L8a). Each event once (inbox);
 * each handler is also harmless when replayed.
 */
export const onListingsEvent: (db: Database, event: DeliveredEvent) => Promise<boolean> = consumeEvents({
  [LISTINGS_EVENTS.determined]: (tx, determined) => new RepairStore(tx).upsertEntry(factsOf(determined)),
  [LISTINGS_EVENTS.effective]: (tx, effective) => new RepairStore(tx).setEntryStatus(effective.entryId, 'EFFECTIVE'),
  [LISTINGS_EVENTS.exited]: (tx, exited) => new RepairStore(tx).setEntryStatus(exited.entryId, 'EXITED', exited.way),
  [LISTINGS_EVENTS.restored]: (tx, restored) => new RepairStore(tx).setEntryStatus(restored.entryId, restored.status),
  [LISTINGS_EVENTS.deleted]: (tx, deleted, event) => new RepairStore(tx).forgetEntry(deleted.entryId, chinaDateOf(new Date(event.createdAt))),
});

function factsOf(e: EntryDetermined): EntryFacts {
  return {
    entryId: e.entryId,
    subjectCode: e.subjectCode,
    region: e.region,
    kind: e.kind,
    field: e.field,
    authority: e.authority,
    status: e.status,
    determinedOn: e.determinedOn,
    validUntil: e.validUntil,
    severity: e.severity,
    repairable: e.repairable,
    repairableFrom: e.repairableFrom,
    exitWay: null,
  };
}
