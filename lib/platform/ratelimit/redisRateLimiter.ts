import type { Redis } from 'ioredis';
import { connectRedis } from '../redis/connect.js';
import { checkArguments, decision, type RateDecision, type RateLimiter } from './rateLimiter.js';

export interface RedisRateLimiterOptions {
  /** Namespace for this limiter's keys. */
  prefix?: string;
  /** How long startup may take to reach Redis before it is an error. */
  connectTimeoutMs?: number;
  /** A request waits at most this long for Redis, so an outage fails requests instead of hanging them. */
  commandTimeoutMs?: number;
}

/**
 * The sliding window log as one script, so check-and-record is atomic across every gateway instance.
 * Time is Redis's own (TIME, microseconds) so instances with skewed clocks still agree.
 * Scores are microseconds; members add the count so two requests in the same microsecond stay distinct.
 * The key expires one window after the last allowed request, so idle clients leave nothing behind.
 * Returns {allowed, remaining, retryAfterMicroseconds}.
 */
const SLIDING_WINDOW_LOG = `
local key, limit, window, cost = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count + cost <= limit then
  for i = 0, cost - 1 do redis.call('ZADD', key, now, t[1] .. '.' .. t[2] .. '-' .. (count + i)) end
  redis.call('PEXPIRE', key, math.ceil(window / 1000))
  return {1, limit - count - cost, 0}
end
local freed = redis.call('ZRANGE', key, count + cost - 1 - limit, count + cost - 1 - limit, 'WITHSCORES')
return {0, 0, tonumber(freed[2]) + window - now}
`;

type WithScript = Redis & { creditGraphRateLimit(key: string, limit: number, windowMicros: number, cost: number): Promise<[number, number, number]> };

export class RedisRateLimiter implements RateLimiter {
  private readonly redis: WithScript;

  constructor(
    redis: Redis,
    private readonly prefix = 'credit-graph:rate:',
  ) {
    // defineCommand sends EVALSHA and falls back to EVAL when Redis has not cached the script yet.
    redis.defineCommand('creditGraphRateLimit', { numberOfKeys: 1, lua: SLIDING_WINDOW_LOG });
    this.redis = redis as WithScript;
  }

  async consume(key: string, limit: number, windowSeconds: number, cost = 1): Promise<RateDecision> {
    checkArguments(key, limit, windowSeconds, cost);
    const windowMicros = Math.round(windowSeconds * 1_000_000);
    const [allowed, remaining, retryMicros] = await this.redis.creditGraphRateLimit(this.prefix + key, limit, windowMicros, cost);
    return decision(limit, allowed === 1, remaining, retryMicros / 1000);
  }

  async close(): Promise<void> {
    if (this.redis.status === 'end') return;
    await this.redis.quit();
  }
}

/** Connects now, so a wrong or unreachable REDIS_URL fails startup with a clear message instead of hanging. */
export async function openRedisRateLimiter(url: string, options: RedisRateLimiterOptions = {}): Promise<RedisRateLimiter> {
  return new RedisRateLimiter(await connectRedis(url, 'Rate limiter', options), options.prefix);
}
