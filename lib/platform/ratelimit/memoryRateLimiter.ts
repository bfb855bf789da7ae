import { performance } from 'node:perf_hooks';
import { checkArguments, decision, type RateDecision, type RateLimiter } from './rateLimiter.js';

export interface MemoryRateLimiterOptions {
  /** Milliseconds; monotonic by default so a wall-clock jump cannot lock clients out or free them early. */
  now?: () => number;
  /** How often, at most, to sweep out keys whose window has passed (milliseconds). */
  sweepEveryMs?: number;
}

interface Log {
  /** Times of allowed requests, oldest first. */
  times: number[];
  /** Like the Redis key's TTL: nothing in the log matters after this. */
  expiresAt: number;
}

/** The sliding window log of rateLimiter.ts, for one process (tests, single-instance runs). */
export class MemoryRateLimiter implements RateLimiter {
  private readonly logs = new Map<string, Log>();
  private readonly now: () => number;
  private readonly sweepEveryMs: number;
  private nextSweep: number;

  constructor(options: MemoryRateLimiterOptions = {}) {
    this.now = options.now ?? (() => performance.now());
    this.sweepEveryMs = options.sweepEveryMs ?? 60_000;
    this.nextSweep = this.now() + this.sweepEveryMs;
  }

  /** Keys currently held; for tests of eviction. */
  get size(): number {
    return this.logs.size;
  }

  async consume(key: string, limit: number, windowSeconds: number, cost = 1): Promise<RateDecision> {
    checkArguments(key, limit, windowSeconds, cost);
    const now = this.now();
    const windowMs = windowSeconds * 1000;
    this.sweep(now);
    const log = this.logs.get(key) ?? { times: [], expiresAt: 0 };
    const times = log.times;
    // The window is (now - windowMs, now], as in the Redis script.
    while (times.length > 0 && times[0]! <= now - windowMs) times.shift();
    if (times.length + cost <= limit) {
      for (let i = 0; i < cost; i++) times.push(now);
      this.logs.set(key, { times, expiresAt: now + windowMs });
      return decision(limit, true, limit - times.length, 0);
    }
    // Over the limit: `cost` fits again once the (times.length + cost - limit)th oldest leaves the window.
    return decision(limit, false, 0, times[times.length + cost - 1 - limit]! + windowMs - now);
  }

  async close(): Promise<void> {
    this.logs.clear();
  }

  /** Amortised: a pass over all keys at most once per sweepEveryMs, and no timer to keep the process alive. */
  private sweep(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + this.sweepEveryMs;
    for (const [key, log] of this.logs) if (log.expiresAt <= now) this.logs.delete(key);
  }
}
