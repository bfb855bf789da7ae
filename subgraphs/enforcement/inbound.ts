import type { Database, Queryable } from '../../lib/platform/db/index.js';
import { consumeEvents, type DeliveredEvent } from '../../lib/platform/events/index.js';
import { stableUuid } from '../../lib/platform/ids.js';
import { LISTINGS_EVENTS, type EntryEffective, type EntryExited } from '../../lib/contracts/events/listings.js';
import { measuresFor } from './catalogue/index.js';
import { notifyRecipient } from './listingNotices.js';
import { EnforcementStore } from './store.js';

/**
 * What enforcement does when listings tells it something: E1 initiates one task per measure and implementing
 * department, routed by the subject's region (定向推送); E5 withdraws the open tasks of an exited entry; R2/L8(a)
 * removes every task of a deleted one. Each event is handled once (inbox), and task ids are stable, so even
 * a replay creates no second task.
 */
export const onListingsEvent: (db: Database, event: DeliveredEvent) => Promise<boolean> = consumeEvents({
  [LISTINGS_EVENTS.effective]: (tx, effective) => initiate(tx, effective),
  [LISTINGS_EVENTS.exited]: (tx, exited) => withdraw(tx, exited),
  [LISTINGS_EVENTS.deleted]: (tx, deleted) => new EnforcementStore(tx).deleteForEntry(deleted.entryId),
});

/** rule E1: one task per applicable measure and implementing department, in the subject's region. */
async function initiate(tx: Queryable, entry: EntryEffective): Promise<void> {
  const store = new EnforcementStore(tx);
  await store.entryInForce({
    entryId: entry.entryId,
    subjectCode: entry.subjectCode,
    kind: entry.kind as 'RED',
    field: entry.field,
    authority: entry.authority,
    region: entry.region,
    since: entry.on,
    published: entry.published ?? entry.kind !== 'FOCUS',
    carriedBy: null,
  });
  await store.carriedBy(entry.entryId, entry.responsiblePersons ?? []); // L13
  await notifyRecipient(tx, entry); // L14: a listing that may not be published is notified instead
  for (const planned of tasksFor(entry)) {
    await store.insertTask({
      ...planned,
      subjectCode: entry.subjectCode,
      authority: entry.authority,
      region: entry.region,
      status: 'INITIATED',
      initiatedOn: entry.on,
    });
  }
}

/**
 * rule E1: the tasks an entry in force initiates — one per applicable measure and implementing department, routed by
 * the subject's region (定向推送). Their ids are stable, so a replayed event creates no second task.
 */
export function tasksFor(entry: {
  entryId: string;
  kind: string;
  field: string;
  region: string | null;
}): { id: string; entryId: string; department: string; measure: string }[] {
  if (entry.kind === 'WARNING') return []; // L6: a public warning, no measures of its own
  return measuresFor({ kind: entry.kind as 'RED' | 'BLACK' | 'FOCUS', field: entry.field, region: entry.region }).flatMap((measure) =>
    measure.departments.map((department) => ({
      id: stableUuid(`task|${entry.entryId}|${department}|${measure.code}`),
      entryId: entry.entryId,
      department,
      measure: measure.code,
    })),
  );
}

/** rule E5: when the entry exits, its open tasks are withdrawn. */
async function withdraw(tx: Queryable, exit: EntryExited): Promise<void> {
  const store = new EnforcementStore(tx);
  await store.withdrawOpen(exit.entryId, exit.on);
  await store.entryOutOfForce(exit.entryId); // E5: checks stop returning its measures
}
