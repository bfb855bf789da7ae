import { MemoryRateLimiter, type MemoryRateLimiterOptions } from './memoryRateLimiter.js';
import type { RateLimiter } from './rateLimiter.js';
import { openRedisRateLimiter, type RedisRateLimiterOptions } from './redisRateLimiter.js';

export type RateLimiterOptions = RedisRateLimiterOptions & MemoryRateLimiterOptions;

/** Redis when a URL is given (shared by every gateway instance), otherwise in-process; callers see only RateLimiter. */
export async function openRateLimiter(redisUrl?: string, options: RateLimiterOptions = {}): Promise<RateLimiter> {
  return redisUrl ? openRedisRateLimiter(redisUrl, options) : new MemoryRateLimiter(options);
}

export type { RateDecision, RateLimiter } from './rateLimiter.js';
export { MemoryRateLimiter, type MemoryRateLimiterOptions } from './memoryRateLimiter.js';
export { RedisRateLimiter, openRedisRateLimiter, type RedisRateLimiterOptions } from './redisRateLimiter.js';
