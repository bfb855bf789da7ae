import { chinaDateOf } from '../../lib/clock.js';
import type { Database, Queryable } from '../../lib/db/index.js';
import { handleOnce, type DeliveredEvent } from '../../lib/events/index.js';
import {
  LISTINGS_EVENTS, type EntryDeleted, type EntryDetermined, type EntryEffective, type EntryExited, type EntryRestored,
} from '../../lib/events/listingsEvents.js';
import type { EntryFacts } from './model.js';
import { RepairStore } from './store.js';

/**
 * What repair does when listings tells it something: it keeps a projection of the entries (who may object or apply,
 * who decides, severity and repair terms), and forgets a deleted entry entirely (R2, L8a). Each event once (inbox);
 * each handler is also harmless when replayed.
 */
export async function onListingsEvent(db: Database, event: DeliveredEvent): Promise<boolean> {
  const handler = {
    [LISTINGS_EVENTS.determined]: (tx: Queryable) => new RepairStore(tx).upsertEntry(factsOf(event.payload as EntryDetermined)),
    [LISTINGS_EVENTS.effective]: (tx: Queryable) => new RepairStore(tx).setEntryStatus((event.payload as EntryEffective).entryId, 'EFFECTIVE'),
    [LISTINGS_EVENTS.exited]: (tx: Queryable) => {
      const exited = event.payload as EntryExited;
      return new RepairStore(tx).setEntryStatus(exited.entryId, 'EXITED', exited.way);
    },
    [LISTINGS_EVENTS.restored]: (tx: Queryable) => new RepairStore(tx).setEntryStatus((event.payload as EntryRestored).entryId, (event.payload as EntryRestored).status),
    [LISTINGS_EVENTS.deleted]: (tx: Queryable) => new RepairStore(tx).forgetEntry((event.payload as EntryDeleted).entryId, chinaDateOf(new Date(event.createdAt))),
  }[event.type];
  return handler ? handleOnce(db, event, handler) : false;
}

function factsOf(e: EntryDetermined): EntryFacts {
  return {
    entryId: e.entryId, subjectCode: e.subjectCode, region: e.region, kind: e.kind as EntryFacts['kind'], field: e.field,
    authority: e.authority, status: e.status as EntryFacts['status'], determinedOn: e.determinedOn, validUntil: e.validUntil,
    severity: e.severity as EntryFacts['severity'], repairable: e.repairable, repairableFrom: e.repairableFrom, exitWay: null,
  };
}
