import type { Database, Queryable } from '../../lib/db/index.js';
import { handleOnce, type DeliveredEvent } from '../../lib/events/index.js';
import { stableUuid } from '../../lib/ids.js';
import { LISTINGS_EVENTS, type EntryDeleted, type EntryEffective, type EntryExited } from '../../lib/events/listingsEvents.js';
import { measuresFor } from './catalogue/index.js';
import { EnforcementStore } from './store.js';

/**
 * What enforcement does when listings tells it something: E1 initiates one task per measure and implementing
 * department, routed by the subject's region (定向推送); E5 withdraws the open tasks of an exited entry; R2/L8(a)
 * removes every task of a deleted one. Each event is handled once (inbox), and task ids are stable, so even
 * a replay creates no second task.
 */
export async function onListingsEvent(db: Database, event: DeliveredEvent): Promise<boolean> {
  const handler = {
    [LISTINGS_EVENTS.effective]: (tx: Queryable) => initiate(tx, event.payload as EntryEffective),
    [LISTINGS_EVENTS.exited]: (tx: Queryable) => withdraw(tx, event.payload as EntryExited),
    [LISTINGS_EVENTS.deleted]: (tx: Queryable) => new EnforcementStore(tx).deleteForEntry((event.payload as EntryDeleted).entryId),
  }[event.type];
  return handler ? handleOnce(db, event, handler) : false;
}

/** rule E1: one task per applicable measure and implementing department, in the subject's region. */
async function initiate(tx: Queryable, entry: EntryEffective): Promise<void> {
  const store = new EnforcementStore(tx);
  await store.entryInForce({
    entryId: entry.entryId, subjectCode: entry.subjectCode, kind: entry.kind as 'RED', field: entry.field,
    authority: entry.authority, region: entry.region, since: entry.on, published: entry.published ?? entry.kind !== 'FOCUS',
  });
  if (entry.kind === 'WARNING') return; // L6: a public warning, no measures of its own
  for (const measure of measuresFor({ kind: entry.kind as 'RED' | 'BLACK' | 'FOCUS', field: entry.field, region: entry.region })) {
    for (const department of measure.departments) {
      await store.insertTask({
        id: stableUuid(`task|${entry.entryId}|${department}|${measure.code}`),
        entryId: entry.entryId,
        subjectCode: entry.subjectCode,
        department,
        authority: entry.authority,
        region: entry.region,
        measure: measure.code,
        status: 'INITIATED',
        initiatedOn: entry.on,
      });
    }
  }
}

/** rule E5: when the entry exits, its open tasks are withdrawn. */
async function withdraw(tx: Queryable, exit: EntryExited): Promise<void> {
  const store = new EnforcementStore(tx);
  await store.withdrawOpen(exit.entryId, exit.on);
  await store.entryOutOfForce(exit.entryId); // E5: checks stop returning its measures
}
