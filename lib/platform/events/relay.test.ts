import { setTimeout as sleep } from 'node:timers/promises';
import { backends, uniqueName, type TestDatabase } from '../../../test/kit/backends.js';
import { dropPostgresSchema, openDatabase } from '../db/index.js';
import type { Database, Queryable } from '../db/database.js';
import type { DeliveredEvent, EventBus } from './bus.js';
import { byKeyOfRows, openEventDatabase, TestConsumer, testBuses, waitFor, watchTimers } from '../../../test/kit/events.js';
import { MemoryEventBus } from './memoryBus.js';
import { publish, type OutboxEvent } from './outbox.js';
import { startOutboxRelay, type OutboxRelay, type OutboxRelayOptions } from './relay.js';
import { ensureEventTables } from './schema.js';

const { buses, cleanup } = testBuses();
afterAll(cleanup);

const event = (key: string, n: number, type = 'listing.entryEffective'): OutboxEvent => ({ type, key, payload: { n } });

/** The bus as one relay sees it, with something done before each publish (slow it down, hold it, count). */
function around(bus: EventBus, before: (e: DeliveredEvent) => Promise<void>): EventBus {
  return {
    publish: async (e) => {
      await before(e);
      await bus.publish(e);
    },
    subscribe: (group, handler) => bus.subscribe(group, handler),
    close: () => bus.close(),
    settled: () => bus.settled(),
  };
}

/** The relay's database, failing the mark-delivered statement `times` times: a crash after the bus accepted. */
function crashingBeforeMark(db: Database, times: number): Database {
  let left = times;
  const guard = (tx: Queryable): Queryable => ({
    query: async <Row>(sql: string, params?: readonly unknown[]) => {
      if (left > 0 && sql.includes('SET delivered_at')) {
        left--;
        throw new Error('relay crashed before marking delivered');
      }
      return tx.query<Row>(sql, params);
    },
  });
  const crashing: Database = {
    query: (sql, params) => db.query(sql, params),
    transaction: (work) => db.transaction((tx) => work(guard(tx))),
    get statementCount() {
      return db.statementCount;
    },
    get background() {
      return crashing;
    },
    close: () => db.close(),
  };
  return crashing;
}

const combinations = backends.flatMap((backend) => buses.map((bus) => ({ name: `${backend.name}, ${bus.name} bus`, backend, busKind: bus })));

describe.each(combinations)('outbox → bus → inbox ($name)', ({ backend, busKind }) => {
  let producer: TestDatabase;
  let consumerDbs: { enforcement: TestDatabase; repair: TestDatabase };
  let bus: EventBus;
  let enforcement: TestConsumer;
  let repair: TestConsumer;
  let relays: OutboxRelay[];
  let errors: unknown[];

  beforeAll(async () => {
    producer = await openEventDatabase(backend, 'listings');
    consumerDbs = { enforcement: await openEventDatabase(backend, 'enforcement'), repair: await openEventDatabase(backend, 'repair') };
    for (const t of Object.values(consumerDbs))
      await t.db.query('CREATE TABLE effects (pos serial PRIMARY KEY, event_id uuid NOT NULL, key text NOT NULL, n int)');
  });
  afterAll(async () => {
    await producer.dispose();
    for (const t of Object.values(consumerDbs)) await t.dispose();
  });
  beforeEach(async () => {
    await producer.db.query('TRUNCATE event_outbox, event_inbox RESTART IDENTITY');
    for (const t of Object.values(consumerDbs)) await t.db.query('TRUNCATE event_inbox, effects');
    errors = [];
    relays = [];
    bus = await busKind.open({ onError: (e) => errors.push(e) });
    enforcement = new TestConsumer('enforcement', consumerDbs.enforcement.db);
    repair = new TestConsumer('repair', consumerDbs.repair.db);
    await enforcement.subscribe(bus);
    await repair.subscribe(bus);
  });
  afterEach(async () => {
    for (const relay of relays) await relay.stop();
    await enforcement.subscription?.close();
    await repair.subscription?.close();
    await bus.close();
  });

  const start = (options: Partial<OutboxRelayOptions> = {}) => {
    const relay = startOutboxRelay({
      db: producer.db,
      bus,
      source: 'listings',
      pollMs: 20,
      batchSize: 10,
      retryBaseMs: 20,
      onError: (e) => errors.push(e),
      ...options,
    });
    relays.push(relay);
    return relay;
  };
  const commit = (...events: OutboxEvent[]) =>
    producer.db.transaction(async (tx) => {
      const ids: string[] = [];
      for (const e of events) ids.push(await publish(tx, e));
      return ids;
    });
  const outboxRow = async (id: string) =>
    (
      await producer.db.query<{ delivered: boolean; attempts: number; last_error: string | null }>(
        'SELECT delivered_at IS NOT NULL AS delivered, attempts, last_error FROM event_outbox WHERE id = $1',
        [id],
      )
    )[0];
  /** Publishes a marker and waits until both groups have it: everything published before has been delivered. */
  const barrier = async (relay: OutboxRelay) => {
    const [marker] = await commit(event('marker', 0, 'test.marker'));
    relay.wake();
    await waitFor('the marker', () => enforcement.has(marker!) && repair.has(marker!));
    return marker!;
  };

  test('a committed event reaches each subscribed group exactly once and is marked delivered', async () => {
    const [id] = await commit({ type: 'listing.entryEffective', key: 'entry-1', payload: { n: 7, subject: '91320583MA1MDEM00H' } });
    const relay = start();
    relay.wake();
    await barrier(relay);
    for (const c of [enforcement, repair]) {
      expect(c.deliveriesOf(id!)).toBe(1);
      expect(await c.applied()).toEqual([
        { event_id: id, key: 'entry-1', n: 7 },
        { event_id: expect.any(String), key: 'marker', n: 0 },
      ]);
    }
    expect(enforcement.deliveries[0]).toEqual({
      id,
      source: 'listings',
      type: 'listing.entryEffective',
      version: 1,
      key: 'entry-1',
      payload: { n: 7, subject: '91320583MA1MDEM00H' },
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      sequence: 1,
    });
    expect(await outboxRow(id!)).toEqual({ delivered: true, attempts: 1, last_error: null });
    expect(errors).toEqual([]);
  });

  test('an event published in a transaction that rolls back is never delivered', async () => {
    await expect(
      producer.db.transaction(async (tx) => {
        await publish(tx, event('entry-1', 1));
        throw new Error('the entry could not be saved');
      }),
    ).rejects.toThrow('could not be saved');
    const relay = start();
    const marker = await barrier(relay);
    expect(enforcement.deliveries.map((e) => e.id)).toEqual([marker]);
    expect(repair.deliveries.map((e) => e.id)).toEqual([marker]);
    expect(await producer.db.query('SELECT key FROM event_outbox')).toEqual([{ key: 'marker' }]);
  });

  test('the relay finds committed events by polling, without a wake()', async () => {
    start();
    await sleep(50);
    const [id] = await commit(event('entry-1', 1));
    await waitFor('the event', () => enforcement.has(id!) && repair.has(id!));
  });

  test('stop() on an idle relay clears its poll timer', async () => {
    const timers = watchTimers(/lib\/events\/relay/);
    const relay = start({ pollMs: 60_000 });
    await sleep(50); // the first pass has run; the next poll is scheduled
    await relay.stop();
    expect(timers.stop()).toEqual([]);
  });

  test('events of one key arrive in the order they were published, across transactions and batches', async () => {
    const keys = ['a', 'b', 'c'];
    for (let t = 0; t < 10; t++) await commit(...keys.map((k, i) => event(k, t * 3 + i)));
    start({ batchSize: 4 }).wake();
    await waitFor('all 30 events', async () => (await enforcement.applied()).length === 30 && repair.deliveries.length === 30);
    const expected = Object.fromEntries(keys.map((k, i) => [k, Array.from({ length: 10 }, (_, t) => t * 3 + i)]));
    expect(byKeyOfRows(await enforcement.applied())).toEqual(expected);
    expect(byKeyOfRows(repair.deliveries.map((e) => ({ key: e.key, n: (e.payload as { n: number }).n })))).toEqual(expected);
  });

  test('a handler that fails once gets the event again and applies it once; later events of its key wait for it', async () => {
    const [a1, b1, a2, b2] = await commit(event('a', 1), event('b', 1), event('a', 2), event('b', 2));
    enforcement.failOnce.add(a1!);
    start().wake();
    await waitFor('all four applied', async () => (await enforcement.applied()).length === 4 && (await repair.applied()).length === 4);
    const applied = await enforcement.applied();
    expect(byKeyOfRows(applied)).toEqual({ a: [1, 2], b: [1, 2] });
    // only key a waited: b's events went ahead of a's retry
    expect(applied.map((r) => r.event_id).indexOf(b2!)).toBeLessThan(applied.map((r) => r.event_id).indexOf(a1!));
    expect(enforcement.deliveriesOf(a1!)).toBe(2);
    expect(applied.filter((r) => r.event_id === a1)).toHaveLength(1);
    expect(byKeyOfRows(await repair.applied())).toEqual({ a: [1, 2], b: [1, 2] });
    expect(errors.map(String)).toContainEqual(expect.stringContaining(`handler failed on ${a1}`));
    expect([b1, a2].every(Boolean)).toBe(true);
  });

  test('the same event delivered twice is applied once by each group', async () => {
    const relay = start();
    const [id] = await commit(event('entry-1', 1));
    relay.wake();
    await waitFor('the first delivery', () => enforcement.has(id!) && repair.has(id!));
    await bus.publish(enforcement.deliveries.find((e) => e.id === id)!);
    await waitFor('the second delivery', () => enforcement.deliveriesOf(id!) === 2 && repair.deliveriesOf(id!) === 2);
    for (const c of [enforcement, repair]) expect(await c.applied()).toEqual([{ event_id: id, key: 'entry-1', n: 1 }]);
  });

  test('a relay that crashes after the bus accepted, before marking delivered, delivers again; consumers apply it once', async () => {
    const [id] = await commit(event('entry-1', 1));
    start({ db: crashingBeforeMark(producer.db, 1) }).wake();
    await waitFor('the redelivery', () => enforcement.deliveriesOf(id!) === 2 && repair.deliveriesOf(id!) === 2);
    await waitFor('the mark', async () => (await outboxRow(id!))?.delivered === true);
    expect(errors.map(String)).toEqual(['Error: relay crashed before marking delivered']);
    // the crashed attempt left no trace in the outbox: it rolled back
    expect(await outboxRow(id!)).toEqual({ delivered: true, attempts: 1, last_error: null });
    for (const c of [enforcement, repair]) expect(await c.applied()).toEqual([{ event_id: id, key: 'entry-1', n: 1 }]);
  });

  test('stop() waits for the batch in flight, then leaves no timer and delivers nothing more', async () => {
    const timers = watchTimers(/lib\/events\/relay/);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let publishing = false;
    const [id] = await commit(event('entry-1', 1));
    const relay = start({
      bus: around(bus, async () => {
        publishing = true;
        await held;
      }),
    });
    relay.wake();
    await waitFor('the batch to start', () => publishing);
    let stopped = false;
    const stopping = relay.stop().then(() => (stopped = true));
    await sleep(50);
    const stoppedEarly = stopped;
    release(); // before asserting: a held batch would hold the database for the hooks after this test
    await stopping;
    expect(stoppedEarly).toBe(false);
    expect(await outboxRow(id!)).toEqual({ delivered: true, attempts: 1, last_error: null });
    expect(timers.stop()).toEqual([]);
    const [later] = await commit(event('entry-2', 1));
    relay.wake();
    await sleep(100);
    expect(await outboxRow(later!)).toEqual({ delivered: false, attempts: 0, last_error: null });
  });
});

const postgres = backends.find((b) => b.name === 'postgres');

(postgres ? describe.each(buses) : describe.skip.each(buses))('two relays on one PostgreSQL database ($name bus)', (busKind) => {
  let schema: string;
  let dbs: Database[];
  let consumerDb: TestDatabase;
  let bus: EventBus;
  let consumer: TestConsumer;
  let relays: OutboxRelay[];

  beforeEach(async () => {
    schema = uniqueName('relays');
    dbs = [await openDatabase({ url: postgres!.url!, name: schema }), await openDatabase({ url: postgres!.url!, name: schema })];
    await ensureEventTables(dbs[0]!);
    consumerDb = await openEventDatabase(postgres!, 'consumer');
    await consumerDb.db.query('CREATE TABLE effects (pos serial PRIMARY KEY, event_id uuid NOT NULL, key text NOT NULL, n int)');
    bus = await busKind.open();
    consumer = new TestConsumer('enforcement', consumerDb.db);
    await consumer.subscribe(bus);
    relays = [];
  });
  afterEach(async () => {
    for (const relay of relays) await relay.stop();
    await consumer.subscription?.close();
    await bus.close();
    for (const db of dbs) await db.close();
    await dropPostgresSchema(postgres!.url!, schema);
    await consumerDb.dispose();
  });

  /** Publishes `count` events over `keys` keys, runs two relays (each publish slowed down so their batches overlap). */
  async function run(count: number, keys: number) {
    const expected: Record<string, number[]> = {};
    await dbs[0]!.transaction(async (tx) => {
      for (let n = 0; n < count; n++) {
        const key = `k${n % keys}`;
        (expected[key] ??= []).push(n);
        await publish(tx, event(key, n));
      }
    });
    const published = [0, 0];
    for (const i of [0, 1]) {
      const relay = startOutboxRelay({
        db: dbs[i]!,
        bus: around(bus, async () => {
          published[i]!++;
          await sleep(2);
        }),
        source: 'listings',
        pollMs: 20,
        batchSize: 10,
        onError: (e) => console.error(e),
      });
      relays.push(relay);
      relay.wake();
    }
    await waitFor(`${count} events`, async () => (await consumer.applied()).length === count, 20_000);
    await sleep(100);
    return { expected, published };
  }

  test('every event is delivered once, both relays take part, per-key order holds', async () => {
    const { expected, published } = await run(200, 100);
    expect(consumer.deliveries).toHaveLength(200);
    expect(new Set(consumer.deliveries.map((e) => e.id)).size).toBe(200);
    expect(published[0]).toBeGreaterThan(0);
    expect(published[1]).toBeGreaterThan(0);
    expect(byKeyOfRows(consumer.deliveries.map((e) => ({ key: e.key, n: (e.payload as { n: number }).n })))).toEqual(expected);
  });

  test('relays contending for the same keys keep each key in order', async () => {
    const { expected } = await run(60, 3);
    expect(consumer.deliveries).toHaveLength(60);
    expect(byKeyOfRows(consumer.deliveries.map((e) => ({ key: e.key, n: (e.payload as { n: number }).n })))).toEqual(expected);
  });
});

describe("two services that consume each other's events, in one process (PGlite, in-process bus)", () => {
  const pglite = backends.find((b) => b.name === 'pglite')!;

  test("both relays deliver while each handler writes to the other service's database", async () => {
    const bus = new MemoryEventBus();
    const a = await TestConsumer.open(pglite, 'a');
    const b = await TestConsumer.open(pglite, 'b');
    // each handler is slow, so the two relays' batches overlap: without turns each would hold its own database
    // (the batch transaction) while waiting for the other's (the handler), and neither would finish
    a.consumer.beforeApply = b.consumer.beforeApply = () => sleep(20);
    // each service handles the other's events only (its own would wait for its own database: see MemoryEventBus)
    const from = (source: string, consumer: TestConsumer) => (e: DeliveredEvent) => (e.source === source ? consumer.handle(e) : Promise.resolve());
    await bus.subscribe('a', from('b', a.consumer));
    await bus.subscribe('b', from('a', b.consumer));
    const relays = [a, b].map(({ consumer }) => startOutboxRelay({ db: consumer.db, bus, source: consumer.group, pollMs: 10 }));
    try {
      for (const { consumer } of [a, b]) {
        await consumer.db.transaction(async (tx) => {
          for (let n = 0; n < 5; n++) await publish(tx, event(`${consumer.group}-${n}`, n));
        });
      }
      for (const relay of relays) relay.wake();
      await waitFor('every event in both services', async () => (await a.consumer.applied()).length === 5 && (await b.consumer.applied()).length === 5);
    } finally {
      for (const relay of relays) await relay.stop();
      await a.dispose();
      await b.dispose();
      await bus.close();
    }
  });
});
