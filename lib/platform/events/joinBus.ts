import type { Database } from '../db/database.js';
import { startPeriodic } from '../process/periodic.js';
import type { DeliveredEvent, EventBus } from './bus.js';
import { pruneDelivered } from './outbox.js';
import { startOutboxRelay } from './relay.js';

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
  const subscription = await bus?.subscribe(options.name, async (event) => void (await options.handle(quiet, event)));
  const relay = bus && options.publishes ? startOutboxRelay({ db: quiet, bus, source: options.name, pollMs: 250 }) : null;
  const housekeeping = relay
    ? startPeriodic(`${options.name} outbox housekeeping`, () => pruneDelivered(quiet, OUTBOX_RETENTION_MS), HOUSEKEEPING_EVERY_MS)
    : null;
  return {
    wake: () => relay?.wake(),
    stop: async () => {
      await housekeeping?.stop();
      await relay?.stop();
      await subscription?.close();
    },
  };
}
