import type { Database } from '../../lib/platform/db/index.js';
import { ListingsStore } from './store.js';
import { addDays } from '../../lib/domain/dates.js';
import { applyEffective, applyExit } from './transitions.js';

export const PLATFORM = 'platform';

/**
 * What time does by itself (no one calls anything): noticed entries take effect when their notice ends
 * (L4, L5), validity ends (L8c, L9c). Each entry's transition commits on its own, so one failure does not
 * hold the others back; running it twice for the same day changes nothing the second time.
 */
export async function advance(db: Database, today: string, pageSize = DUE_PAGE): Promise<{ effective: number; expired: number }> {
  let effective = 0;
  let expired = 0;
  // a page at a time: an entry handled leaves the due indexes, so the next page starts where this one ended; a page
  // that changed nothing (every entry changed meanwhile by someone else) ends the run, the next run finds the rest
  for (;;) {
    const due = await new ListingsStore(db).dueOn(today, pageSize);
    const before = effective + expired;
    for (const candidate of due) {
      await db.transaction(async (tx) => {
        const store = new ListingsStore(tx);
        const entry = await store.lockedEntry(candidate.id); // as committed now, not as listed
        if (!entry || entry.exit) return;
        if (entry.validUntil !== null && entry.validUntil < today) {
          // rules L8(c), L9(c): validity over — the exit is dated the first day without it
          await applyExit(store, entry, { way: 'EXPIRED', on: addDays(entry.validUntil, 1), reason: `validity ended on ${entry.validUntil}` }, PLATFORM, today);
          expired++;
        } else if (entry.status === 'NOTICE' && !entry.held && entry.effectiveOn !== null && entry.effectiveOn <= today) {
          await applyEffective(store, entry, entry.effectiveOn, PLATFORM, today);
          effective++;
        }
      });
    }
    if (due.length < pageSize || effective + expired === before) return { effective, expired };
  }
}

/** Due entries read at once (of each kind): a backlog after a long stop is worked off in pages, not loaded whole. */
const DUE_PAGE = 1000;
