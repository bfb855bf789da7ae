import { deliveredEvent } from '../../../test/kit/events.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { DeliveredEvent, EventBus } from './bus.js';
import { testBuses, waitFor, watchTimers } from '../../../test/kit/events.js';
import { openRedisEventBus, type RedisEventBusOptions } from './redisBus.js';

const redisUrl = process.env.REDIS_URL;
const { prefix, cleanup } = testBuses();
const event = (key = 'k', n = 1): DeliveredEvent => deliveredEvent({ type: 't', key, payload: { n }, sequence: n });

(redisUrl ? describe : describe.skip)('Redis Streams event bus', () => {
  let admin: Redis;
  let bus: EventBus;
  let stream: string;
  let errors: unknown[];
  const open = async (options: RedisEventBusOptions = {}) => {
    const p = prefix();
    stream = `${p}stream`;
    errors = [];
    bus = await openRedisEventBus(redisUrl!, { prefix: p, claimTimeoutMs: 300, blockMs: 1000, onError: (e) => errors.push(e), ...options });
    return bus;
  };
  beforeAll(() => {
    admin = new Redis(redisUrl!);
  });
  afterEach(() => bus?.close());
  afterAll(async () => {
    await admin.quit();
    await cleanup();
  });

  test('an unreachable Redis fails at once with a clear message', async () => {
    await expect(openRedisEventBus('redis://127.0.0.1:1', { connectTimeoutMs: 500 })).rejects.toThrow(
      /Event bus cannot reach Redis at redis:\/\/127\.0\.0\.1:1/,
    );
  });

  test('each group gets every event once; consumers of one group share them', async () => {
    await open();
    const seen: Record<string, string[]> = { a1: [], a2: [], b: [] };
    await bus.subscribe('enforcement', async (e) => void seen.a1!.push(e.id));
    await bus.subscribe('enforcement', async (e) => void seen.a2!.push(e.id));
    await bus.subscribe('repair', async (e) => void seen.b!.push(e.id));
    const events = Array.from({ length: 20 }, (_, i) => event(`k${i}`));
    for (const e of events) await bus.publish(e);
    await waitFor('all events', () => seen.b!.length === 20 && seen.a1!.length + seen.a2!.length === 20);
    await sleep(100);
    expect([...seen.a1!, ...seen.a2!].sort()).toEqual(events.map((e) => e.id).sort());
    expect(seen.b).toEqual(events.map((e) => e.id));
    expect(await admin.xpending(stream, 'enforcement')).toEqual([0, null, null, null]);
  });

  test('a message a consumer read and never acknowledged (it crashed) is taken over after the claim timeout', async () => {
    await open();
    await admin.xgroup('CREATE', stream, 'enforcement', '0', 'MKSTREAM');
    const e = event();
    await bus.publish(e);
    // the consumer that dies: reads, never acknowledges
    const read = (await admin.xreadgroup('GROUP', 'enforcement', 'ghost', 'COUNT', 10, 'STREAMS', stream, '>')) as unknown[];
    expect(read).toHaveLength(1);
    const seen: string[] = [];
    const started = Date.now();
    await bus.subscribe('enforcement', async (x) => void seen.push(x.id));
    await waitFor('the reclaimed event', () => seen.length === 1);
    expect(seen).toEqual([e.id]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    await waitFor('no pending message', async () => ((await admin.xpending(stream, 'enforcement')) as unknown[])[0] === 0);
  });

  test('a failing handler gets the message again, and later messages of its key wait behind it', async () => {
    await open();
    const handled: string[] = [];
    let failures = 0;
    await bus.subscribe('enforcement', async (e) => {
      const label = `${e.key}#${(e.payload as { n: number }).n}`;
      if (label === 'a#1' && failures++ === 0) throw new Error('first try fails');
      handled.push(label);
    });
    for (const e of [event('a', 1), event('b', 1), event('a', 2), event('b', 2)]) await bus.publish(e);
    await waitFor('all four handled', () => handled.length === 4);
    expect(handled.filter((l) => l.startsWith('a'))).toEqual(['a#1', 'a#2']);
    expect(handled.indexOf('b#2')).toBeLessThan(handled.indexOf('a#1')); // other keys did not wait
    expect(failures).toBe(2);
    expect(errors).toHaveLength(1);
    await waitFor('no pending message', async () => ((await admin.xpending(stream, 'enforcement')) as unknown[])[0] === 0);
  });

  test('a subscriber survives its stream being deleted (the group is created again)', async () => {
    await open();
    const seen: string[] = [];
    await bus.subscribe('enforcement', async (e) => void seen.push(e.id));
    await admin.del(stream);
    await sleep(100);
    const e = event();
    await bus.publish(e);
    await waitFor('the event after the deletion', () => seen.length === 1, 5000);
    expect(seen).toEqual([e.id]);
  });

  test('an unreadable message is acknowledged and reported, not retried forever', async () => {
    await open();
    const seen: string[] = [];
    await bus.subscribe('enforcement', async (e) => void seen.push(e.id));
    await admin.xadd(stream, '*', 'event', '{not json');
    const e = event();
    await bus.publish(e);
    await waitFor('the good event', () => seen.length === 1);
    expect(errors.map(String)).toEqual([expect.stringContaining('unreadable message')]);
    expect(((await admin.xpending(stream, 'enforcement')) as unknown[])[0]).toBe(0);
  });

  test('what every group of the system has acknowledged leaves the stream; what one still needs stays', async () => {
    await open({ groups: ['enforcement', 'repair'], trimEveryMs: 0 });
    const seen: Record<string, string[]> = { enforcement: [], repair: [] };
    await bus.subscribe('enforcement', async (e) => void seen.enforcement!.push(e.id));
    const [a, b] = [event('a'), event('b')];
    for (const e of [a, b]) await bus.publish(e);
    await waitFor('enforcement has both', () => seen.enforcement!.length === 2);
    await sleep(300);
    expect(await admin.xlen(stream)).toBe(2); // repair has not subscribed yet, and will read from the start
    let refused = false;
    await bus.subscribe('repair', async (e) => {
      if (e.id === b.id && !refused) {
        refused = true;
        throw new Error('not yet');
      }
      seen.repair!.push(e.id);
    });
    await waitFor('a read by both and gone; b, unacknowledged by repair, kept', async () => {
      const left = await admin.xrange(stream, '-', '+');
      return refused && left.length === 1 && left[0]![1][1]!.includes(b.id);
    });
    await waitFor('b retried, then gone too: Redis keeps no copy', async () => seen.repair!.length === 2 && (await admin.xlen(stream)) === 0);
    expect(seen.repair).toEqual([a.id, b.id]);
  });

  test('close() ends a blocking read at once and leaves no socket or timer behind', async () => {
    const sockets = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
    await sleep(50); // let the previous test's connections finish closing
    const before = sockets();
    const timers = watchTimers(/ioredis|lib\/events\//);
    await open({ blockMs: 10_000 });
    await bus.subscribe('enforcement', async () => undefined);
    await bus.subscribe('repair', async () => undefined);
    await sleep(100); // both are now blocked in XREADGROUP
    expect(sockets()).toBe(before + 3);
    const started = Date.now();
    await bus.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(timers.stop()).toEqual([]);
    expect(sockets()).toBe(before);
    // the consumers owned nothing, so their names are gone
    expect(await admin.xinfo('CONSUMERS', stream, 'enforcement')).toEqual([]);
  });
});
