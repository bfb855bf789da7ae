// Helpers for this folder's tests (not part of the library's API).
import { createHook } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { Backend } from './backends.js';
import { openTestDatabase, type TestDatabase } from './backends.js';
import type { Database, Queryable } from '../../lib/platform/db/database.js';
import type { DeliveredEvent, EventBus, Subscription } from '../../lib/platform/events/bus.js';
import { handleOnce } from '../../lib/platform/events/inbox.js';
import { openEventBus } from '../../lib/platform/events/index.js';
import { ensureEventTables } from '../../lib/platform/events/schema.js';

const redisUrl = process.env.REDIS_URL;

export interface BusKind {
  name: 'memory' | 'redis';
  open(options?: { onError?: (e: unknown) => void }): Promise<EventBus>;
}

/** The buses every bus test runs on, and a cleanup for the Redis keys this run made (unique prefix per run). */
export function testBuses(): { buses: BusKind[]; cleanup(): Promise<void>; prefix: () => string } {
  const runPrefix = `credit-graph:test:events:${randomUUID()}:`;
  let opened = 0;
  const prefix = () => `${runPrefix}${++opened}:`;
  const memory: BusKind = { name: 'memory', open: () => openEventBus() };
  const redis: BusKind = {
    name: 'redis',
    open: (options = {}) => openEventBus(redisUrl, { prefix: prefix(), claimTimeoutMs: 300, blockMs: 1000, onError: options.onError ?? (() => undefined) }),
  };
  return {
    buses: redisUrl ? [memory, redis] : [memory],
    prefix,
    async cleanup() {
      if (!redisUrl) return;
      const admin = new Redis(redisUrl);
      const keys = await admin.keys(`${runPrefix}*`);
      if (keys.length > 0) await admin.del(...keys);
      await admin.quit();
    },
  };
}

export async function openEventDatabase(backend: Backend, prefix: string): Promise<TestDatabase> {
  const t = await openTestDatabase(backend, prefix);
  await ensureEventTables(t.db);
  return t;
}

export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/**
 * A consuming service: its own database with an `effects` table the handler writes through handleOnce,
 * and a log of raw deliveries (duplicates included).
 */
export class TestConsumer {
  readonly deliveries: DeliveredEvent[] = [];
  /** Event ids whose handler has finished: what it wrote is committed. */
  private readonly handled = new Set<string>();
  /** Event ids whose handler throws (after the inbox row was written) the next time they arrive. */
  readonly failOnce = new Set<string>();
  /** Runs inside the handler, before it writes (to make it slow or block it). */
  beforeApply: (event: DeliveredEvent) => Promise<void> = async () => undefined;
  subscription: Subscription | undefined;

  constructor(
    readonly group: string,
    readonly db: Database,
  ) {}

  static async open(backend: Backend, group: string): Promise<{ consumer: TestConsumer; dispose(): Promise<void> }> {
    const t = await openEventDatabase(backend, group);
    await t.db.query('CREATE TABLE effects (pos serial PRIMARY KEY, event_id uuid NOT NULL, key text NOT NULL, n int)');
    const consumer = new TestConsumer(group, t.db);
    return {
      consumer,
      dispose: async () => {
        await consumer.subscription?.close();
        await t.dispose();
      },
    };
  }

  async subscribe(bus: EventBus): Promise<void> {
    this.subscription = await bus.subscribe(this.group, (event) => this.handle(event));
  }

  handle = async (event: DeliveredEvent): Promise<void> => {
    this.deliveries.push(event);
    await this.beforeApply(event);
    await handleOnce(this.db, event, async (tx: Queryable) => {
      const n = (event.payload as { n?: number } | null)?.n ?? null;
      await tx.query('INSERT INTO effects (event_id, key, n) VALUES ($1, $2, $3)', [event.id, event.key, n]);
      if (this.failOnce.delete(event.id)) throw new Error(`handler failed on ${event.id}`);
    });
    this.handled.add(event.id);
  };

  /** Applied effects in the order they were applied. */
  async applied(): Promise<{ event_id: string; key: string; n: number | null }[]> {
    return this.db.query('SELECT event_id, key, n FROM effects ORDER BY pos');
  }

  deliveriesOf(id: string): number {
    return this.deliveries.filter((e) => e.id === id).length;
  }

  /** Handled and committed (not merely received: a test reading `applied()` next must find it). */
  has(id: string): boolean {
    return this.handled.has(id);
  }
}

/** Per key, the payload numbers in the order given. */
export function byKeyOfRows(rows: { key: string; n: number | null }[]): Record<string, (number | null)[]> {
  const out: Record<string, (number | null)[]> = {};
  for (const { key, n } of rows) (out[key] ??= []).push(n);
  return out;
}

/**
 * Records the timers created from here on by code whose file matches `from`, and lists those still pending at
 * stop(): what would keep jest alive. (Counting process-wide handles is noisy: jest's reporter has timers too.)
 */
export function watchTimers(from: RegExp): { stop(): string[] } {
  const timers = new Map<object, string>();
  const previousLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  const hook = createHook({
    init(_id, type, _trigger, resource) {
      if (type !== 'Timeout') return;
      const stack = new Error().stack ?? '';
      // the frame that called setTimeout: the first outside Node itself and this hook
      const caller =
        stack
          .split('\n')
          .slice(2)
          .find((line) => !/\(node:|at node:|<anonymous>/.test(line)) ?? '';
      if (from.test(caller)) timers.set(resource, stack);
    },
  }).enable();
  return {
    stop() {
      hook.disable();
      Error.stackTraceLimit = previousLimit;
      return [...timers].filter(([t]) => !(t as { _destroyed?: boolean })._destroyed && (t as NodeJS.Timeout).hasRef()).map(([, stack]) => stack);
    },
  };
}

/** An event as the bus delivers it, with every field filled: what a test hands a consumer or a bus. */
export function deliveredEvent(event: { type: string; key?: string; payload?: unknown; source?: string; sequence?: number; version?: number }): DeliveredEvent {
  return {
    id: randomUUID(),
    source: event.source ?? 'listings',
    type: event.type,
    version: event.version ?? 1,
    key: event.key ?? 'k',
    payload: event.payload ?? null,
    createdAt: new Date().toISOString(),
    sequence: event.sequence ?? 1,
  };
}
