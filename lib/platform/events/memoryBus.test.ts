import { deliveredEvent } from '../../../test/kit/events.js';
import type { DeliveredEvent } from './bus.js';
import { MemoryEventBus } from './memoryBus.js';

const event = (key = 'k'): DeliveredEvent => deliveredEvent({ type: 't', key, payload: { n: 1 } });

describe('in-process event bus', () => {
  test('publish runs one handler of every group and resolves when all are done', async () => {
    const bus = new MemoryEventBus();
    const seen: string[] = [];
    await bus.subscribe('enforcement', async (e) => void seen.push(`enforcement ${e.id}`));
    await bus.subscribe('repair', async (e) => void seen.push(`repair ${e.id}`));
    const e = event();
    await bus.publish(e);
    expect(seen.sort()).toEqual([`enforcement ${e.id}`, `repair ${e.id}`]);
  });

  test('a failing handler makes publish reject (so the relay retries), the other groups still got it', async () => {
    const bus = new MemoryEventBus();
    const seen: string[] = [];
    await bus.subscribe('enforcement', async () => {
      throw new Error('no database');
    });
    await bus.subscribe('repair', async (e) => void seen.push(e.id));
    const e = event();
    await expect(bus.publish(e)).rejects.toThrow(/no database/);
    expect(seen).toEqual([e.id]);
  });

  test('with no group subscribed, or a group whose subscriber closed, publish rejects instead of dropping', async () => {
    const bus = new MemoryEventBus();
    await expect(bus.publish(event())).rejects.toThrow(/no consumer group/);
    const sub = await bus.subscribe('enforcement', async () => undefined);
    await bus.publish(event());
    await sub.close();
    await expect(bus.publish(event())).rejects.toThrow(/enforcement has no live subscriber/);
    await bus.subscribe('enforcement', async () => undefined);
    await bus.publish(event());
    await bus.close();
    await expect(bus.publish(event())).rejects.toThrow(/closed/);
  });

  test('subscribers of one group take turns, each event goes to one of them', async () => {
    const bus = new MemoryEventBus();
    const a: string[] = [];
    const b: string[] = [];
    await bus.subscribe('enforcement', async (e) => void a.push(e.id));
    await bus.subscribe('enforcement', async (e) => void b.push(e.id));
    for (let i = 0; i < 4; i++) await bus.publish(event());
    expect([a.length, b.length]).toEqual([2, 2]);
    expect(new Set([...a, ...b]).size).toBe(4);
  });

  test('closing a subscription waits for the handler in progress', async () => {
    const bus = new MemoryEventBus();
    let release!: () => void;
    let finished = false;
    const sub = await bus.subscribe('enforcement', async () => {
      await new Promise<void>((r) => (release = r));
      finished = true;
    });
    const delivering = bus.publish(event());
    await new Promise((r) => setImmediate(r));
    let closed = false;
    const closing = sub.close().then(() => (closed = true));
    await new Promise((r) => setImmediate(r));
    expect(closed).toBe(false);
    release();
    await closing;
    expect(finished).toBe(true);
    await delivering;
  });

  test('each group gets its own copy, so one cannot change what another sees', async () => {
    const bus = new MemoryEventBus();
    const payloads: unknown[] = [];
    await bus.subscribe('enforcement', async (e) => {
      (e.payload as { n: number }).n = 99;
    });
    await bus.subscribe('repair', async (e) => void payloads.push(e.payload));
    const e = event();
    await bus.publish(e);
    expect(payloads).toEqual([{ n: 1 }]);
    expect(e.payload).toEqual({ n: 1 });
  });

  test('a group that is expected but has not subscribed yet makes publish reject: the event waits for it', async () => {
    const bus = new MemoryEventBus(['listings', 'repair']);
    const seen: string[] = [];
    await bus.subscribe('repair', async (e) => void seen.push(`repair ${e.id}`));
    const early = event();
    await expect(bus.publish(early)).rejects.toThrow(/listings has no live subscriber/);
    await bus.subscribe('listings', async (e) => void seen.push(`listings ${e.id}`));
    await bus.publish(early);
    expect(seen.sort()).toEqual([`listings ${early.id}`, `repair ${early.id}`, `repair ${early.id}`]);
  });
});
