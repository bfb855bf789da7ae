import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database.js';

/** Resolves once this service's outbox holds nothing undelivered, waking its relay (`wake`) while it waits. */
export async function outboxEmptied(db: Queryable, wake: () => void, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM event_outbox WHERE delivered_at IS NULL');
    if ((row?.n ?? 0) === 0) return;
    if (Date.now() > deadline) throw new Error(`the outbox still holds ${row!.n} undelivered events after ${timeoutMs} ms`);
    wake();
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export interface OutboxEvent {
  type: string;
  /** The version of the type's payload (default 1). */
  version?: number;
  /** Ordering key, e.g. the entry id: events of one key are delivered in the order they were published. */
  key: string;
  payload: unknown;
}

/**
 * Records an event in the service's own outbox. Call it with the transaction that makes the change, so the change
 * and the event commit or roll back together; the relay delivers it after the commit (relay.wake() to do it now).
 * Per-key order is the order of publish() calls as long as the writer holds a lock on what the key names (it does
 * when it has updated that row in the same transaction). Returns the event id.
 */
export async function publish(tx: Queryable, event: OutboxEvent): Promise<string> {
  if (!event.type) throw new Error('an event needs a type');
  if (!event.key) throw new Error('an event needs a key');
  const id = randomUUID();
  await tx.query('INSERT INTO event_outbox (id, type, key, payload, version) VALUES ($1, $2, $3, $4::jsonb, $5)', [
    id,
    event.type,
    event.key,
    // stringified here: node-postgres would turn a JS array into a PostgreSQL array, not JSON
    JSON.stringify(event.payload ?? null),
    event.version ?? 1,
  ]);
  return id;
}

/**
 * Removes every event of `key` from the outbox, delivered or not, for data that must leave nothing behind (L8a:
 * 只删不存). Safe for the consumers: an event that was never delivered only told them about what is now gone, and
 * the event the caller publishes next (e.g. "deleted") is unaffected. A row the relay is delivering right now is
 * locked (FOR UPDATE in its batch): the delete waits for it, then removes it.
 */
export async function forgetKey(tx: Queryable, key: string): Promise<void> {
  await tx.query('DELETE FROM event_outbox WHERE key = $1', [key]);
}

/**
 * Deletes events delivered more than `olderThanMs` ago; undelivered ones stay whatever their age (the outbox is
 * the retry queue). Delivered events are kept a while to diagnose a consumer, not for ever: they carry what was
 * published about subjects. Returns how many went.
 */
export async function pruneDelivered(db: Queryable, olderThanMs: number): Promise<number> {
  const gone = await db.query("DELETE FROM event_outbox WHERE delivered_at < now() - $1::double precision * interval '1 millisecond' RETURNING seq", [
    olderThanMs,
  ]);
  return gone.length;
}
