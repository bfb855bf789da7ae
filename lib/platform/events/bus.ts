/** An event as it travels between services: the outbox row, plus the service that wrote it. */
export interface DeliveredEvent {
  /** UUID given at publish; consumers deduplicate on it (./inbox.ts). */
  id: string;
  /** The publishing service: 'listings', 'enforcement' or 'repair'. */
  source: string;
  type: string;
  /** The version of its type's payload (the event catalogue, lib/contracts/events); 1 when the publisher did not say. */
  version: number;
  /** Events with the same key reach a consumer group in the order they were written (e.g. the entry id). */
  key: string;
  payload: unknown;
  /** When the publishing transaction ran (ISO 8601). */
  createdAt: string;
  /** Position in the source's outbox; grows with every event of that source, so a handler can recognise a stale one. */
  sequence: number;
}

export type EventHandler = (event: DeliveredEvent) => Promise<void>;

export interface Subscription {
  /** Stops taking events; resolves when the handler in progress (if any) has finished. */
  close(): Promise<void>;
}

/**
 * Carries events from one service's outbox relay to every subscribed group (one group per consuming service).
 * At least once: a group may see an event more than once, so handlers go through handleOnce.
 */
export interface EventBus {
  /** Resolves once the bus has taken responsibility for the event; rejects when it has not (the relay retries). */
  publish(event: DeliveredEvent): Promise<void>;
  /** Handlers receive every event type; they ignore those they have no use for. */
  subscribe(group: string, handler: EventHandler): Promise<Subscription>;
  close(): Promise<void>;
  /**
   * Runs a relay's batch in its turn. A bus whose publish() waits for the handlers (in process) makes relays take
   * turns: two services that consume each other's events would otherwise each hold its own database (the relay's
   * transaction) while waiting for the other's (the handler's). Absent: batches run at once.
   */
  relayTurn?<T>(batch: () => Promise<T>): Promise<T>;
  /** Resolves once every group has handled everything published so far (in process: at once; publish waited). */
  settled(): Promise<void>;
  /** Rejects when the bus cannot be reached (readiness); absent: it lives in this process. */
  ping?(): Promise<void>;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
