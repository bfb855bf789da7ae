import type { Database } from '../db/database.js';
import { errorMessage, type DeliveredEvent, type EventBus } from './bus.js';
import { describeError, log } from '../observe/log.js';

export interface RelayBatchOptions {
  db: Database;
  bus: EventBus;
  /** This service's name, stamped on every event. */
  source: string;
  batchSize?: number;
  /** A failed event waits retryBaseMs × 2^(attempts − 1) before its next try, at most retryMaxMs. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Told about every event the bus refused (the event stays in the outbox). */
  onError?: (error: unknown, event?: DeliveredEvent) => void;
}

export interface OutboxRelayOptions extends RelayBatchOptions {
  /** How often to look for events nobody woke the relay for (other instances' commits, retries). */
  pollMs?: number;
}

export interface OutboxRelay {
  /** Deliver now (call after a commit that published), instead of at the next poll. */
  wake(): void;
  /** Stops polling; resolves after the batch in flight, leaving no timer behind. */
  stop(): Promise<void>;
}

export interface BatchResult {
  fetched: number;
  delivered: number;
  failed: number;
}

interface Row {
  seq: number;
  id: string;
  type: string;
  key: string;
  payload: unknown;
  created_at: Date | string;
  attempts: number;
  version?: number;
}

/**
 * Delivers one batch, in one transaction. FOR UPDATE SKIP LOCKED lets relays on one PostgreSQL database take
 * different batches; rows are marked delivered only after the bus accepted them, and a crash before the commit
 * means they are delivered again (at least once). Per-key order: an event waits while an earlier event of its key
 * is undelivered and not in this batch (backing off after a failure, or locked by another relay).
 */
export async function relayBatch(options: RelayBatchOptions): Promise<BatchResult> {
  const { db, bus, source, batchSize = 100, retryBaseMs = 1000, retryMaxMs = 300_000, onError } = options;
  const inTurn = <T>(batch: () => Promise<T>) => (bus.relayTurn ? bus.relayTurn(batch) : batch());
  return inTurn(() =>
    db.transaction(async (tx) => {
      const rows = await tx.query<Row>(
        `SELECT seq, id, type, key, payload, created_at, attempts, version FROM event_outbox o
       WHERE delivered_at IS NULL AND next_attempt_at <= now()
         AND NOT EXISTS (SELECT 1 FROM event_outbox p
                         WHERE p.key = o.key AND p.seq < o.seq AND p.delivered_at IS NULL AND p.next_attempt_at > now())
       ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batchSize],
      );
      const result: BatchResult = { fetched: rows.length, delivered: 0, failed: 0 };
      if (rows.length === 0) return result;

      const ours = new Set(rows.map((r) => r.seq));
      const undelivered = await tx.query<{ key: string; seq: number }>(
        'SELECT key, seq FROM event_outbox WHERE delivered_at IS NULL AND key = ANY($1::text[]) AND seq <= $2 ORDER BY seq',
        [[...new Set(rows.map((r) => r.key))], rows[rows.length - 1]!.seq],
      );
      // key → first undelivered event of that key that another relay holds; ours after it must wait
      const heldElsewhere = new Map<string, number>();
      for (const { key, seq } of undelivered) if (!ours.has(seq) && !heldElsewhere.has(key)) heldElsewhere.set(key, seq);

      const failedKeys = new Set<string>();
      for (const row of rows) {
        const blocker = heldElsewhere.get(row.key);
        if ((blocker !== undefined && blocker < row.seq) || failedKeys.has(row.key)) continue;
        const event = toEvent(row, source);
        try {
          await bus.publish(event);
        } catch (error) {
          failedKeys.add(row.key);
          result.failed++;
          const delay = Math.min(retryBaseMs * 2 ** row.attempts, retryMaxMs);
          await tx.query(
            `UPDATE event_outbox SET attempts = attempts + 1, last_error = $2,
             next_attempt_at = clock_timestamp() + $3 * interval '1 millisecond' WHERE seq = $1`,
            [row.seq, errorMessage(error).slice(0, 2000), delay],
          );
          onError?.(error, event);
          continue;
        }
        await tx.query('UPDATE event_outbox SET delivered_at = now(), attempts = attempts + 1, last_error = NULL WHERE seq = $1', [row.seq]);
        result.delivered++;
      }
      return result;
    }),
  );
}

function toEvent(row: Row, source: string): DeliveredEvent {
  return {
    id: row.id,
    source,
    type: row.type,
    key: row.key,
    payload: row.payload,
    version: row.version ?? 1,
    createdAt: new Date(row.created_at).toISOString(),
    sequence: Number(row.seq),
  };
}

/**
 * Delivers the outbox in the background: at start, every pollMs, and at once on wake(). A batch that fails as a
 * whole (database down, a mark that did not commit) is retried with a backoff doubling up to 30 s.
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { pollMs = 1000, batchSize = 100 } = options;
  const report = options.onError ?? ((error: unknown) => log.error({ service: options.source, error: describeError(error) }, 'outbox relay'));
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let failures = 0;

  const schedule = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(run, ms);
  };

  async function drain(): Promise<number> {
    try {
      let batch: BatchResult;
      do {
        again = false;
        batch = await relayBatch({ ...options, batchSize, onError: (e, ev) => safely(() => report(e, ev)) });
        // a full batch that moved something suggests more is waiting; one that only held back does not
      } while (!stopped && (again || (batch.delivered > 0 && batch.fetched === batchSize)));
      failures = 0;
      return pollMs;
    } catch (error) {
      failures++;
      safely(() => report(error));
      return Math.min(pollMs * 2 ** failures, 30_000);
    }
  }

  function run() {
    timer = undefined;
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = drain().then((delay) => {
      running = undefined;
      if (!stopped) schedule(again ? 0 : delay);
    });
  }

  schedule(0);
  return {
    wake: () => {
      if (!stopped) run();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // a throwing error reporter must not stop the relay
  }
}
