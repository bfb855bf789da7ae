import type { Database, Queryable } from '../db/database.js';
import type { DeliveredEvent } from './bus.js';

/**
 * Runs `handler` for an event unless this service has already handled that event id; the handler's writes and the
 * inbox row commit together, so a redelivery is skipped (false) exactly when the first delivery took effect.
 * The row is inserted first: a concurrent duplicate waits on it (PostgreSQL) and then skips.
 * One handleOnce per event per service: the inbox is keyed by event id alone.
 */
export async function handleOnce(db: Database, event: DeliveredEvent, handler: (tx: Queryable) => Promise<void>): Promise<boolean> {
  return db.transaction(async (tx) => {
    const fresh = await tx.query('INSERT INTO event_inbox (event_id, source, type) VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING RETURNING event_id', [
      event.id,
      event.source,
      event.type,
    ]);
    if (fresh.length === 0) return false;
    await handler(tx);
    return true;
  });
}
