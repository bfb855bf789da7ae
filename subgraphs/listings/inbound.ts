import type { Database } from '../../lib/db/index.js';
import { deletedOnExit } from './rules.js';
import { ListingsStore } from './store.js';
import { applyEffective, applyExit } from './transitions.js';

/**
 * What listings does when the repair subgraph tells it something (design.md: cross-subgraph effects are
 * events). Each handler is idempotent by the entry's state: a second delivery finds nothing left to do.
 */
export interface ObjectionFiled {
  entryId: string;
}
export interface ObjectionDecided {
  entryId: string;
  upheld: boolean;
  on: string;
  reason: string;
}
export interface RepairApproved {
  entryId: string;
  on: string;
  reason: string;
}

const REPAIR = 'repair';

/** rule L4: an objection during a red entry's publicity holds it until the authority has verified. */
export async function objectionFiled(db: Database, event: ObjectionFiled): Promise<void> {
  await db.transaction(async (tx) => {
    const store = new ListingsStore(tx);
    const [entry] = await store.entriesByIds([event.entryId]);
    if (!entry || entry.kind !== 'RED' || entry.status !== 'NOTICE' || entry.held) return;
    await store.setStatus(entry.id, 'NOTICE', true);
    await store.recordEvent(entry.id, REPAIR, 'HELD', 'objection during publicity (L4)', event);
  });
}

/**
 * R1/R2: an upheld objection ends the entry as wrongful — a black one is deleted, nothing kept (L8a); a red one
 * exits (L9a). A rejected one releases a held red entry, which takes effect if its publicity is over (L4).
 */
export async function objectionDecided(db: Database, event: ObjectionDecided, today: string): Promise<void> {
  await db.transaction(async (tx) => {
    const store = new ListingsStore(tx);
    const [entry] = await store.entriesByIds([event.entryId]);
    if (!entry || entry.exit) return;
    if (event.upheld) {
      if (deletedOnExit(entry, 'WRONGFUL')) await store.deleteEntry(entry.id);
      else await applyExit(store, entry, { way: 'WRONGFUL', on: event.on, reason: event.reason }, REPAIR, today);
      return;
    }
    if (!entry.held) return;
    await store.setStatus(entry.id, 'NOTICE', false);
    await store.recordEvent(entry.id, REPAIR, 'RELEASED', event.reason, event);
    if (entry.effectiveOn !== null && entry.effectiveOn <= today) await applyEffective(store, entry, today, REPAIR, today);
  });
}

/** rule L8(b): an approved repair exits the entry early; a black exit puts the subject on focus at once. */
export async function repairApproved(db: Database, event: RepairApproved, today: string): Promise<void> {
  await db.transaction(async (tx) => {
    const store = new ListingsStore(tx);
    const [entry] = await store.entriesByIds([event.entryId]);
    if (!entry || entry.exit) return;
    await applyExit(store, entry, { way: 'REPAIRED', on: event.on, reason: event.reason }, REPAIR, today);
  });
}
