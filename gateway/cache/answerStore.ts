import type { Redis } from 'ioredis';
import { connectRedis } from '../../lib/platform/redis/connect.js';

/**
 * Where answers the gateway may give again are kept, under a generation: every event that may change an answer moves
 * the generation on, and an answer is only ever read under the generation it was stored in, so nothing stored before
 * an event is read after the gateway has handled it. What is kept is the answer as the caller received it (masked).
 */
export interface AnswerStore {
  /** The current generation, and the answer stored under it for `key` (null when there is none). */
  lookup(key: string): Promise<{ generation: string; answer: string | null }>;
  /** Keeps `answer` under `generation` for `ttlMs`; an answer to an older generation than the current is never read. */
  put(generation: string, key: string, answer: string, ttlMs: number): Promise<void>;
  /** Moves the generation on. */
  invalidate(): Promise<void>;
  close(): Promise<void>;
}

/** One process (`npm start` without Redis): a bounded map, emptied at every new generation. */
export class MemoryAnswerStore implements AnswerStore {
  private generation = 0;
  private readonly answers = new Map<string, { answer: string; until: number }>();

  constructor(private readonly maxEntries = 5000) {}

  async lookup(key: string): Promise<{ generation: string; answer: string | null }> {
    const kept = this.answers.get(key);
    const answer = kept && kept.until > Date.now() ? kept.answer : null;
    return { generation: String(this.generation), answer };
  }

  async put(generation: string, key: string, answer: string, ttlMs: number): Promise<void> {
    if (generation !== String(this.generation)) return; // computed before an event: never kept
    if (this.answers.size >= this.maxEntries) this.answers.delete(this.answers.keys().next().value!); // the oldest first
    this.answers.set(key, { answer, until: Date.now() + ttlMs });
  }

  async invalidate(): Promise<void> {
    this.generation++;
    this.answers.clear();
  }

  async close(): Promise<void> {
    this.answers.clear();
  }
}

/** The generation, and the answer under it, in one round trip. */
const LOOKUP = `local g = redis.call('GET', KEYS[1]) or '0'
return {g, redis.call('GET', ARGV[1] .. g .. ':' .. ARGV[2])}`;

/** Every gateway instance on one Redis shares the answers and the generation (any instance may handle an event). */
export class RedisAnswerStore implements AnswerStore {
  private constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  static async open(url: string, prefix: string): Promise<RedisAnswerStore> {
    return new RedisAnswerStore(await connectRedis(url, 'the answer cache', { commandTimeoutMs: 200 }), prefix);
  }

  private get generationKey(): string {
    return `${this.prefix}generation`;
  }

  async lookup(key: string): Promise<{ generation: string; answer: string | null }> {
    const [generation, answer] = (await this.redis.eval(LOOKUP, 1, this.generationKey, this.prefix, key)) as [string, string | null];
    return { generation, answer };
  }

  async put(generation: string, key: string, answer: string, ttlMs: number): Promise<void> {
    await this.redis.set(`${this.prefix}${generation}:${key}`, answer, 'PX', ttlMs);
  }

  async invalidate(): Promise<void> {
    await this.redis.incr(this.generationKey);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
