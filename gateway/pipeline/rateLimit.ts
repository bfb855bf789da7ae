import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode, creditError } from '../../lib/errors.js';
import type { RateLimiter } from '../../lib/ratelimit/index.js';
import type { GatewayContext } from './context.js';

/** Step 2a (A4): partner banks are rate-limited per client; past the limit, RATE_LIMITED with Retry-After. */
export function rateLimitStep(limiter: RateLimiter, limit: { limit: number; windowSeconds: number }): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue: { caller } }) {
          if (caller.kind !== 'bank') return;
          const decision = await limiter.consume(`bank:${caller.clientId ?? caller.tokenId}`, limit.limit, limit.windowSeconds);
          if (decision.allowed) return;
          throw creditError(
            ErrorCode.RATE_LIMITED,
            `rate limit of ${limit.limit} requests per ${limit.windowSeconds} s reached; retry in ${decision.retryAfterSeconds} s`,
            { retryAfterSeconds: decision.retryAfterSeconds, limit: limit.limit },
            new Map([['retry-after', String(decision.retryAfterSeconds)]]),
          );
        },
      };
    },
  };
}
