import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { connectRedis } from '../redis/connect.js';
import { errorMessage, type DeliveredEvent, type EventBus, type EventHandler, type Subscription } from './bus.js';
import { describeError, log } from '../observe/log.js';

export interface RedisEventBusOptions {
  /** Namespace: the stream is `${prefix}stream`. */
  prefix?: string;
  /** How long startup may take to reach Redis before it is an error. */
  connectTimeoutMs?: number;
  /** Any command but the blocking read waits at most this long, so an outage fails the relay's batch, not hangs it. */
  commandTimeoutMs?: number;
  /** How long one read waits for new events. */
  blockMs?: number;
  /** A message left unacknowledged this long (its consumer died, or its handler failed) is taken over and retried. */
  claimTimeoutMs?: number;
  /** Messages per read. */
  batchSize?: number;
  /** Approximate stream length kept; a group lagging further behind than this loses events. */
  maxLength?: number;
  /**
   * The consumer groups of the system. What all of them have acknowledged is trimmed from the stream (at most every
   * trimEveryMs), so Redis keeps no copy of what was published (L8a); nothing is trimmed while one has not subscribed
   * yet. Unset: only maxLength trims.
   */
  groups?: readonly string[];
  trimEveryMs?: number;
  /** Told about failed handlers and failed reads (which are retried). */
  onError?: (error: unknown, event?: DeliveredEvent) => void;
}

type Settings = Required<Omit<RedisEventBusOptions, 'connectTimeoutMs'>>;
/** [id, [field, value, ...]] as XREADGROUP and XAUTOCLAIM return them. */
type Entry = [string, string[] | null];

/**
 * Redis Streams. One stream for every event type and source: an entry's "became effective" and "exited" are
 * different types but must reach a consumer in order, and one blocking read per subscriber covers everything.
 * Each subscribing service is a consumer group (created at the start of the stream, so a group that subscribes
 * for the first time also gets the events published before); each process is one consumer in it.
 */
export class RedisEventBus implements EventBus {
  private readonly stream: string;
  private readonly subscriptions = new Set<RedisSubscription>();
  private closing: Promise<void> | undefined;

  private lastTrim = 0;

  constructor(
    private readonly redis: Redis,
    private readonly settings: Settings,
  ) {
    this.stream = `${settings.prefix}stream`;
  }

  /**
   * Removes from the stream every message each of the system's groups has read and acknowledged: the stream carries
   * events, it does not keep them. Returns how many went; 0 while a group is missing (it will read from the start).
   */
  async trimConsumed(): Promise<number> {
    if (this.settings.groups.length === 0) return 0;
    const groups = ((await this.redis.xinfo('GROUPS', this.stream).catch(() => [])) as unknown[][]).map(fieldsOf);
    let floor: string | undefined;
    for (const name of this.settings.groups) {
      const info = groups.find((g) => g.name === name);
      if (!info) return 0;
      const next = await this.nextNeededBy(name, info);
      if (floor === undefined || compareIds(next, floor) < 0) floor = next;
    }
    return this.redis.xtrim(this.stream, 'MINID', floor!);
  }

  /** The first message a group still needs: its oldest unacknowledged one, else the one after what it has read. */
  private async nextNeededBy(group: string, info: Record<string, unknown>): Promise<string> {
    // read after XINFO: acknowledged since, there is no oldest, and the older last-delivered id is the safe answer
    const oldest = Number(info.pending) > 0 ? ((await this.redis.xpending(this.stream, group)) as [number, string | null])[1] : null;
    if (oldest) return oldest;
    const [ms, seq] = String(info['last-delivered-id']).split('-');
    return `${ms}-${BigInt(seq!) + 1n}`;
  }

  /** trimConsumed at most every trimEveryMs; called by the subscriptions' read loops (which wake at least every blockMs). */
  async trimNow(): Promise<void> {
    if (Date.now() - this.lastTrim < this.settings.trimEveryMs) return;
    this.lastTrim = Date.now();
    try {
      await this.trimConsumed();
    } catch (error) {
      this.settings.onError(error);
    }
  }

  /** Every group of the system has read and acknowledged everything in the stream (its lag and pending are 0). */
  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async settled(): Promise<void> {
    for (;;) {
      const groups = ((await this.redis.xinfo('GROUPS', this.stream).catch(() => [])) as unknown[][]).map(fieldsOf);
      const done = this.settings.groups.every((name) => {
        const info = groups.find((g) => g.name === name);
        return info !== undefined && Number(info.pending) === 0 && Number(info.lag ?? 0) === 0;
      });
      if (done) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async publish(event: DeliveredEvent): Promise<void> {
    await this.redis.xadd(this.stream, 'MAXLEN', '~', this.settings.maxLength, '*', 'event', JSON.stringify(event));
  }

  async subscribe(group: string, handler: EventHandler): Promise<Subscription> {
    if (this.closing) throw new Error('event bus is closed');
    await createGroup(this.redis, this.stream, group);
    // its own connection: a blocking read occupies it; no command timeout below the block time
    const reader = this.redis.duplicate({ commandTimeout: this.settings.blockMs + this.settings.commandTimeoutMs });
    reader.on('error', () => undefined);
    try {
      await reader.connect();
    } catch (error) {
      await disconnected(reader);
      throw error;
    }
    const subscription = new RedisSubscription(
      this.redis,
      reader,
      this.stream,
      group,
      handler,
      this.settings,
      () => this.trimNow(),
      () => this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.subscriptions].map((s) => s.close()));
      const ended = new Promise<void>((resolve) => (this.redis.status === 'end' ? resolve() : this.redis.once('end', resolve)));
      if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
      else if (this.redis.status !== 'end') this.redis.disconnect();
      await ended;
    })();
    return this.closing;
  }
}

class RedisSubscription implements Subscription {
  private readonly consumer = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly abort = new AbortController();
  private readonly loop: Promise<void>;
  private stopped = false;
  private reading = false;
  private readerClosed: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  /** key → the message whose handler failed; later messages of that key wait (unacknowledged) behind it. */
  private readonly blocked = new Map<string, string>();

  constructor(
    private readonly redis: Redis,
    private readonly reader: Redis,
    private readonly stream: string,
    private readonly group: string,
    private readonly handler: EventHandler,
    private readonly settings: Settings,
    private readonly trim: () => Promise<void>,
    private readonly forget: () => void,
  ) {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    const { batchSize, blockMs } = this.settings;
    let failures = 0;
    while (!this.stopped) {
      try {
        await this.reclaim();
        if (this.stopped) break;
        this.reading = true;
        const reply = (await this.reader.xreadgroup('GROUP', this.group, this.consumer, 'COUNT', batchSize, 'BLOCK', blockMs, 'STREAMS', this.stream, '>')) as
          [string, Entry[]][] | null;
        this.reading = false;
        for (const [, entries] of reply ?? []) await this.handleAll(entries);
        await this.trim();
        failures = 0;
      } catch (error) {
        this.reading = false;
        if (this.stopped) break;
        this.settings.onError(error);
        // the stream was deleted (FLUSHALL, a cleanup): start over with a new group rather than fail forever
        if (errorMessage(error).startsWith('NOGROUP')) await createGroup(this.redis, this.stream, this.group).catch(() => undefined);
        failures++;
        await sleep(Math.min(100 * 2 ** failures, 5000), undefined, { signal: this.abort.signal }).catch(() => undefined);
      }
    }
  }

  /** Takes over messages pending longer than claimTimeoutMs: a dead consumer's, and this one's failed ones. */
  private async reclaim(): Promise<void> {
    let cursor = '0-0';
    do {
      const [next, entries] = (await this.reader.xautoclaim(
        this.stream,
        this.group,
        this.consumer,
        this.settings.claimTimeoutMs,
        cursor,
        'COUNT',
        this.settings.batchSize,
      )) as [string, Entry[]];
      await this.handleAll(entries);
      cursor = next;
    } while (cursor !== '0-0' && !this.stopped);
  }

  private async handleAll(entries: Entry[]): Promise<void> {
    for (const [id, fields] of entries) {
      if (this.stopped) return; // the rest stay pending and are taken over later
      if (!fields) continue; // deleted from the stream meanwhile
      let event: DeliveredEvent;
      try {
        event = JSON.parse(fields[fields.indexOf('event') + 1] ?? '') as DeliveredEvent;
        event.version ??= 1; // written before events had versions
      } catch (error) {
        // could never succeed: acknowledge, or it would come back forever
        this.settings.onError(new Error(`unreadable message ${id} in ${this.stream}: ${errorMessage(error)}`));
        await this.reader.xack(this.stream, this.group, id);
        continue;
      }
      if (await this.mustWait(event.key, id)) continue;
      try {
        await this.handler(event);
      } catch (error) {
        this.blocked.set(event.key, id);
        this.settings.onError(error, event);
        continue;
      }
      await this.reader.xack(this.stream, this.group, id);
      if (this.blocked.get(event.key) === id) this.blocked.delete(event.key);
    }
  }

  /** True while an earlier message of this key failed here and is still pending (here or with another consumer). */
  private async mustWait(key: string, id: string): Promise<boolean> {
    const blocker = this.blocked.get(key);
    if (blocker === undefined || blocker === id) return false;
    const pending = (await this.reader.xpending(this.stream, this.group, blocker, blocker, 1)) as unknown[];
    if (pending.length > 0) return true;
    this.blocked.delete(key); // another consumer handled it
    return false;
  }

  /** Once only: ioredis arms a fresh 2 s destroy timer on every disconnect() and clears only the first. */
  private disconnectReader(): Promise<void> {
    this.readerClosed ??= disconnected(this.reader);
    return this.readerClosed;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.stopped = true;
      this.abort.abort();
      // a blocking read would hold close() for up to blockMs; what it might have received stays pending
      if (this.reading) void this.disconnectReader();
      await this.loop;
      await this.disconnectReader();
      // drop this consumer's name unless it still owns messages (deleting it would lose them)
      try {
        const mine = (await this.redis.xpending(this.stream, this.group, '-', '+', 1, this.consumer)) as unknown[];
        if (mine.length === 0) await this.redis.xgroup('DELCONSUMER', this.stream, this.group, this.consumer);
      } catch {
        // best effort: an idle consumer name is harmless
      }
      this.forget();
    })();
    return this.closing;
  }
}

/** XINFO's [field, value, field, value, ...] as an object. */
function fieldsOf(reply: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = reply[i + 1];
  return out;
}

/** Stream ids `ms-seq` in order. */
function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bm, bs] = b.split('-').map(BigInt) as [bigint, bigint];
  return am === bm ? (as === bs ? 0 : as < bs ? -1 : 1) : am < bm ? -1 : 1;
}

async function createGroup(redis: Redis, stream: string, group: string): Promise<void> {
  try {
    await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
  } catch (error) {
    if (!errorMessage(error).startsWith('BUSYGROUP')) throw error;
  }
}

/** Disconnects and resolves once the socket is gone, so a closed bus leaves no handle for jest to find. */
function disconnected(redis: Redis): Promise<void> {
  if (redis.status === 'end') return Promise.resolve();
  const ended = new Promise<void>((resolve) => redis.once('end', resolve));
  redis.disconnect();
  return ended;
}

/** Connects now, so a wrong or unreachable REDIS_URL fails startup with a clear message instead of hanging. */
export async function openRedisEventBus(url: string, options: RedisEventBusOptions = {}): Promise<RedisEventBus> {
  const connectTimeoutMs = options.connectTimeoutMs ?? 3000;
  const settings: Settings = {
    prefix: options.prefix ?? 'credit-graph:events:',
    commandTimeoutMs: options.commandTimeoutMs ?? 1000,
    blockMs: options.blockMs ?? 5000,
    claimTimeoutMs: options.claimTimeoutMs ?? 30_000,
    batchSize: options.batchSize ?? 50,
    maxLength: options.maxLength ?? 1_000_000,
    groups: options.groups ?? [],
    trimEveryMs: options.trimEveryMs ?? 1000,
    onError: options.onError ?? ((error: unknown) => log.error({ error: describeError(error) }, 'event bus')),
  };
  const redis = await connectRedis(url, 'Event bus', { connectTimeoutMs, commandTimeoutMs: settings.commandTimeoutMs });
  return new RedisEventBus(redis, settings);
}
