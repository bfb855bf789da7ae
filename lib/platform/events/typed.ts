import { checkEvent, type CatalogueEvent, type EventPayload, type EventType } from '../../contracts/events/catalogue.js';
import { EVENT_CATALOGUE } from '../../contracts/events/catalogue.js';
import type { Database, Queryable } from '../db/database.js';
import type { DeliveredEvent } from './bus.js';
import { handleOnce } from './inbox.js';
import { publish } from './outbox.js';
import { log } from '../observe/log.js';

/**
 * Publishes an event of the catalogue, in the caller's transaction. Its payload is checked against the catalogue
 * first: a publisher never writes what its consumers would park.
 */
export async function publishEvent<T extends EventType>(tx: Queryable, type: T, key: string, payload: EventPayload<T>): Promise<string> {
  const { version } = EVENT_CATALOGUE[type];
  const checked = checkEvent(type, version, payload);
  if (!checked.ok) throw new Error(`refusing to publish ${type}: ${checked.unknown ? 'not in the event catalogue' : checked.reason}`);
  return publish(tx, { type, version, key, payload: checked.event.payload });
}

/** A consumer's handlers, one per event type it acts on, each receiving its checked payload inside the inbox transaction. */
export type Handlers = { [T in EventType]?: (tx: Queryable, payload: EventPayload<T>, event: DeliveredEvent) => Promise<unknown> };

/**
 * What a subgraph does with the events it receives: an event of a type it has no handler for is not for it; one that
 * fails the catalogue (its version, its payload) is parked — kept with the reason, reported, never applied — and the
 * others are handled once each (the inbox). Resolves true when a handler ran.
 */
export function consumeEvents(handlers: Handlers) {
  return async (db: Database, event: DeliveredEvent): Promise<boolean> => {
    if (!(event.type in handlers)) return false;
    const checked = checkEvent(event.type, event.version ?? 1, event.payload);
    if (!checked.ok) {
      const reason = checked.unknown ? 'not in the event catalogue' : checked.reason;
      await park(db, event, reason);
      return false;
    }
    const handler = handlers[event.type as EventType] as (tx: Queryable, payload: CatalogueEvent['payload'], event: DeliveredEvent) => Promise<unknown>;
    return handleOnce(db, event, async (tx) => void (await handler(tx, checked.event.payload, event)));
  };
}

async function park(db: Database, event: DeliveredEvent, reason: string): Promise<void> {
  log.error({ type: event.type, eventId: event.id, source: event.source, reason }, 'event parked');
  await db.query(
    `INSERT INTO event_parked (event_id, source, type, version, reason, payload) VALUES ($1, $2, $3, $4, $5, $6::jsonb)
     ON CONFLICT (event_id) DO NOTHING`,
    [event.id, event.source, event.type, event.version ?? 1, reason, JSON.stringify(event.payload ?? null)],
  );
}
