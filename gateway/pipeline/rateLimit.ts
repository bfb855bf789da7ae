import type { CallerKind } from '../../lib/contracts/caller.js';
import { ErrorCode } from '../../lib/platform/errors.js';
import type { Refusal } from '../../lib/platform/http/serve.js';
import type { CallerLimits } from '../../lib/platform/limits.js';
import type { RateLimiter } from '../../lib/platform/ratelimit/index.js';
import { clientOf, type Identity } from './identify.js';
import { rateLimitRefusals } from '../../lib/platform/observe/metrics.js';

/**
 * Step 2, before the body is read: every caller kind has a rate, per client address (no token) or per token client,
 * counted in Redis when REDIS_URL is set (every gateway instance shares it); and a bound on how many requests of its
 * kind may be in flight at once, so one kind of caller cannot take the gateway from the others (departments' checks
 * inside approval workflows above all). Returns the release of the in-flight place, or the refusal.
 */
export function throttle(limiter: RateLimiter, limits: Record<CallerKind, CallerLimits>) {
  const inFlight = new Map<CallerKind, number>();
  return async (identity: Identity): Promise<{ release(): void } | Refusal> => {
    const { caller } = identity;
    const mine = limits[caller.kind];
    const decision = await limiter.consume(`requests:${caller.kind}:${clientOf(identity)}`, mine.rate, mine.rateWindowSeconds);
    if (!decision.allowed) {
      rateLimitRefusals.inc({ caller_kind: caller.kind, limit: 'rate' });
      return {
        code: ErrorCode.RATE_LIMITED,
        message: `rate limit of ${mine.rate} requests per ${mine.rateWindowSeconds} s reached; retry in ${decision.retryAfterSeconds} s`,
        detail: { retryAfterSeconds: decision.retryAfterSeconds, limit: mine.rate },
        headers: { 'retry-after': String(decision.retryAfterSeconds) },
      };
    }
    const busy = inFlight.get(caller.kind) ?? 0;
    if (mine.inFlight > 0 && busy >= mine.inFlight) {
      rateLimitRefusals.inc({ caller_kind: caller.kind, limit: 'in_flight' });
      return {
        code: ErrorCode.OVERLOADED,
        message: `${mine.inFlight} requests of ${caller.kind} callers are already being answered; retry shortly`,
        detail: { retryAfterSeconds: 1 },
        headers: { 'retry-after': '1' },
      };
    }
    inFlight.set(caller.kind, busy + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        inFlight.set(caller.kind, (inFlight.get(caller.kind) ?? 1) - 1);
      },
    };
  };
}
