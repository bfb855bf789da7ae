/**
 * Per-client rate limiting for partner banks: at most `limit` requests in any `windowSeconds`.
 *
 * Algorithm: sliding window log. Each allowed request is recorded with its time; a request is allowed when
 * fewer than `limit` records fall in the last `windowSeconds`. Chosen because it is exact at window edges:
 * fixed windows let 2×limit through around a boundary, GCRA allows a full burst and then the steady rate
 * (up to 2×limit−1 in one window), and the weighted two-window counter is only an estimate. The cost is
 * memory proportional to `limit` per active client, which is small for partner quotas and expires with the window.
 * Refused requests are not recorded, so a client that keeps retrying is not locked out for longer.
 */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** seconds until a request would be allowed again; 0 when allowed (rounded up to whole seconds, as Retry-After wants) */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Takes `cost` (default 1, at most `limit`) from the key's window, all or nothing. */
  consume(key: string, limit: number, windowSeconds: number, cost?: number): Promise<RateDecision>;
  close(): Promise<void>;
}

/** Both implementations check the same way, before touching any state. */
export function checkArguments(key: string, limit: number, windowSeconds: number, cost = 1): void {
  if (!Number.isInteger(cost) || cost < 1 || cost > limit) throw new RangeError(`rate limit cost must be an integer 1-${limit}, got ${cost}`);
  if (typeof key !== 'string' || key === '') throw new RangeError('rate limit key must be a non-empty string');
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`rate limit must be an integer >= 1, got ${limit}`);
  if (!Number.isFinite(windowSeconds) || windowSeconds <= 0) throw new RangeError(`rate limit window must be > 0 seconds, got ${windowSeconds}`);
}

export function decision(limit: number, allowed: boolean, remaining: number, retryAfterMs: number): RateDecision {
  return { allowed, limit, remaining, retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(retryAfterMs / 1000)) };
}
