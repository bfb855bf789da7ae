import type { Database } from '../db/database.js';
import { startPeriodic } from '../process/periodic.js';
import type { DeliveredEvent, EventBus } from './bus.js';
import { pruneDelivered } from './outbox.js';
import { startOutboxRelay } from './relay.js';
import { eventDeliveryLag, eventHandlerFailures, watchOutbox } from '../observe/metrics.js';

/** How long a delivered event stays in its outbox (to diagnose a consumer), and how often that is enforced. */
const OUTBOX_RETENTION_MS = 7 * 86_400_000;
const HOUSEKEEPING_EVERY_MS = 3_600_000;

export interface BusMembership {
  /** Deliver this service's outbox now instead of at the next poll. */
  wake(): void;
  /** Stops the relay, then the subscription (after the event in hand). */
  stop(): Promise<void>;
}

/**
 * A service's part on the bus: its consumer group (`name`) handles the others' events, and, when it publishes, its
 * outbox relay delivers its own. The group subscribes before the relay starts (an in-process bus refuses events
 * nobody has subscribed to), and both use the uncounted view of the database, so statement counts measure requests.
 * Delivered events leave the outbox after a week. Without a bus the outbox only fills.
 */
export async function joinBus(
  bus: EventBus | undefined,
  options: { name: string; db: Database; handle: (db: Database, event: DeliveredEvent) => Promise<unknown>; publishes: boolean },
): Promise<BusMembership> {
  const quiet = options.db.background;
  const subscription = await bus?.subscribe(
    options.name,
    observed(options.name, async (event) => void (await options.handle(quiet, event))),
  );
  const relay = bus && options.publishes ? startOutboxRelay({ db: quiet, bus, source: options.name, pollMs: 250 }) : null;
  const unwatch = relay ? watchOutbox(options.name, () => outboxState(quiet)) : null;
  const housekeeping = relay
    ? startPeriodic(`${options.name} outbox housekeeping`, () => pruneDelivered(quiet, OUTBOX_RETENTION_MS), HOUSEKEEPING_EVERY_MS)
    : null;
  return {
    wake: () => relay?.wake(),
    stop: async () => {
      unwatch?.();
      await housekeeping?.stop();
      await relay?.stop();
      await subscription?.close();
    },
  };
}

/** A consumer's handler, measured: how long after it was written each event is handled, and how many handlers fail. */
function observed(consumer: string, handle: (event: DeliveredEvent) => Promise<void>) {
  return async (event: DeliveredEvent): Promise<void> => {
    try {
      await handle(event);
    } catch (error) {
      eventHandlerFailures.inc({ consumer });
      throw error;
    }
    const written = Date.parse(event.createdAt);
    if (Number.isFinite(written)) eventDeliveryLag.observe({ consumer }, Math.max(0, Date.now() - written) / 1000);
  };
}

/** The relay's backlog, read when metrics are scraped. */
async function outboxState(db: Database): Promise<{ backlog: number; oldestSeconds: number }> {
  const [row] = await db.query<{ backlog: number; oldest: number | null }>(
    'SELECT count(*)::int AS backlog, extract(epoch FROM now() - min(created_at))::float8 AS oldest FROM event_outbox WHERE delivered_at IS NULL',
  );
  return { backlog: row?.backlog ?? 0, oldestSeconds: Math.max(0, row?.oldest ?? 0) };
}
