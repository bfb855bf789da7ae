import { errorMessage, type DeliveredEvent, type EventBus, type EventHandler, type Subscription } from './bus.js';

/**
 * The in-process bus of `npm start` (one process, no Redis). publish() runs one handler of every group that has
 * subscribed and resolves only when all succeeded. When a handler fails, or a group that subscribed has no live
 * handler (closed), publish rejects: the event stays in the outbox and the relay delivers it again later, to every
 * group. So the outbox is the retry queue (it survives a restart, a queue here would not), per-key order holds (the
 * relay holds back the key's later events meanwhile), and groups that had succeeded see a duplicate that
 * handleOnce skips. With no group subscribed yet publish rejects too, so events wait for their consumers.
 * The relay holds its batch transaction open while handlers run, so relays take turns (relayTurn: two services
 * consuming each other's events would wait on each other's databases), and a handler must not use the publishing service's
 * PGlite database (single connection; it would wait for itself).
 */
export class MemoryEventBus implements EventBus {
  /** group → its live handlers (taking turns, like consumers of one Redis group); an empty list is a closed group. */
  private readonly groups = new Map<string, EventHandler[]>();

  /**
   * `expectedGroups`: consumers that will subscribe (the services of one process). Until each has, publish rejects,
   * so events a relay finds at start (left over from before a restart) wait for every consumer, not only the first.
   */
  constructor(expectedGroups: readonly string[] = []) {
    for (const group of expectedGroups) this.groups.set(group, []);
  }
  private turn = 0;
  private closed = false;

  /** publish() returns after the handlers ran: what was published is handled. */
  async settled(): Promise<void> {}
  /** The batch of the relay whose turn it is; the next waits for it (see EventBus.relayTurn). */
  private relaying: Promise<unknown> = Promise.resolve();

  relayTurn<T>(batch: () => Promise<T>): Promise<T> {
    const mine = this.relaying.then(batch, batch);
    this.relaying = mine.catch(() => undefined);
    return mine;
  }

  async publish(event: DeliveredEvent): Promise<void> {
    if (this.closed) throw new Error('event bus is closed');
    if (this.groups.size === 0) throw new Error('no consumer group has subscribed yet');
    const turn = this.turn++;
    const results = await Promise.allSettled(
      [...this.groups].map(async ([group, handlers]) => {
        const handler = handlers[turn % Math.max(handlers.length, 1)];
        if (!handler) throw new Error(`group ${group} has no live subscriber`);
        await handler(structuredClone(event));
      }),
    );
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [errorMessage(r.reason)] : []));
    if (failures.length > 0) throw new Error(`event ${event.id} (${event.type}) not handled: ${failures.join('; ')}`);
  }

  async subscribe(group: string, handler: EventHandler): Promise<Subscription> {
    if (this.closed) throw new Error('event bus is closed');
    const inFlight = new Set<Promise<void>>();
    const tracked: EventHandler = (event) => {
      const done = Promise.resolve().then(() => handler(event));
      inFlight.add(done);
      return done.finally(() => inFlight.delete(done));
    };
    this.groups.set(group, [...(this.groups.get(group) ?? []), tracked]);
    return {
      close: async () => {
        const live = this.groups.get(group);
        if (live)
          this.groups.set(
            group,
            live.filter((h) => h !== tracked),
          );
        await Promise.allSettled([...inFlight]);
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.groups.clear();
  }
}
