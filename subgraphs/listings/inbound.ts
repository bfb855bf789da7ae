import type { Database, Queryable } from '../../lib/platform/db/index.js';
import { consumeEvents, type DeliveredEvent } from '../../lib/platform/events/index.js';
import { REPAIR_EVENTS, type ObjectionDecided, type ObjectionFiled, type RepairApproved } from '../../lib/contracts/events/repair.js';
import { deletedOnExit } from './rules.js';
import { ListingsStore } from './store.js';
import { applyEffective, applyExit, eraseWrongful } from './transitions.js';

/**
 * What listings does when the repair subgraph tells it something (design.md: cross-subgraph effects are
 * events). Each event is handled once (the inbox, in the same transaction as its effect), and each handler
 * is also a no-op when the entry's state already shows it.
 */
const REPAIR = 'repair';

/** Routes an event, checked against the catalogue, to its handler, once; other types are not for listings. Returns whether it acted. */
export function onRepairEvent(db: Database, event: DeliveredEvent, today: string): Promise<boolean> {
  return consumeEvents({
    [REPAIR_EVENTS.objectionFiled]: (tx, filed) => objectionFiled(tx, filed),
    [REPAIR_EVENTS.objectionDecided]: (tx, decided) => objectionDecided(tx, decided, today),
    [REPAIR_EVENTS.repairApproved]: (tx, approved) => repairApproved(tx, approved, today),
  })(db, event);
}

/** rule L4: an objection during a red entry's publicity holds it until the authority has verified. */
export async function objectionFiled(tx: Queryable, event: ObjectionFiled): Promise<void> {
  const store = new ListingsStore(tx);
  const entry = await store.lockedEntry(event.entryId);
  if (!entry || entry.kind !== 'RED' || entry.status !== 'NOTICE' || entry.held) return;
  await store.setStatus(entry.id, 'NOTICE', true);
  await store.recordChange(entry.id, REPAIR, 'HELD', 'objection during publicity (L4)', event);
}

/**
 * R1/R2: an upheld objection ends the entry as wrongful — a black one is deleted with what followed from it, even if
 * it exited meanwhile (L8a: nothing kept); a red one exits (L9a). A rejected one releases a held red entry, which
 * takes effect if its publicity is over and no other objection waits (L4).
 */
export async function objectionDecided(tx: Queryable, event: ObjectionDecided, today: string): Promise<void> {
  const store = new ListingsStore(tx);
  const entry = await store.lockedEntry(event.entryId);
  if (!entry) return;
  if (event.upheld && deletedOnExit(entry, 'WRONGFUL')) return eraseWrongful(store, entry, REPAIR, today);
  if (entry.exit) return;
  if (event.upheld) return applyExit(store, entry, { way: 'WRONGFUL', on: event.on, reason: event.reason }, REPAIR, today);
  if (!entry.held || event.othersOpen) return; // L4: it waits for every objection, not the first decided
  await store.setStatus(entry.id, 'NOTICE', false);
  await store.recordChange(entry.id, REPAIR, 'RELEASED', event.reason, event);
  if (entry.effectiveOn !== null && entry.effectiveOn <= today) await applyEffective(store, entry, today, REPAIR, today);
}

/** rule L8(b): an approved repair exits the entry early; a black exit puts the subject on focus at once. */
export async function repairApproved(tx: Queryable, event: RepairApproved, today: string): Promise<void> {
  const store = new ListingsStore(tx);
  const entry = await store.lockedEntry(event.entryId);
  if (!entry || entry.exit) return;
  await applyExit(store, entry, { way: 'REPAIRED', on: event.on, reason: event.reason }, REPAIR, today);
}
