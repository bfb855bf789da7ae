import type { ApolloServerPlugin } from '@apollo/server';
import { visit, type DocumentNode } from 'graphql';
import { hidesUnlistedPersons } from '../../lib/contracts/access.js';
import { ErrorCode, refusal } from '../../lib/platform/errors.js';
import { checkResidentId, normaliseCode } from '../../lib/domain/identifiers/index.js';
import type { RateLimiter } from '../../lib/platform/ratelimit/index.js';
import type { GatewayContext } from './context.js';
import { clientOf } from './identify.js';
import { rateLimitRefusals } from '../../lib/platform/observe/metrics.js';

export interface PersonLookupLimits {
  perRequest: number;
  perMinute: number;
}

/**
 * Step 4 (A6): a masked ID number (first 6 and last 4) leaves a few thousand candidates, so anyone who may not see
 * every person is allowed only a few resident ID numbers per request and a configured number per minute, per client
 * address (no token) or per client (a token). Every resident ID number anywhere in the operation counts — an argument
 * of any field, a search text, a variable — whether or not the person exists, so the limit itself tells nothing.
 * Organisations' credit codes do not count.
 */
export function limitPersonLookupsStep(limiter: RateLimiter, limits: PersonLookupLimits): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, contextValue }) {
          const { caller, variables } = contextValue;
          if (!hidesUnlistedPersons(caller)) return;
          const codes = personCodesIn(document, variables);
          if (codes.size === 0) return;
          if (codes.size > limits.perRequest) {
            rateLimitRefusals.inc({ caller_kind: caller.kind, limit: 'person_lookups_per_request' });
            throw refusal(ErrorCode.TOO_MANY_PERSON_CODES, `at most ${limits.perRequest} resident ID numbers per request, got ${codes.size}`, {
              limit: limits.perRequest,
            });
          }
          const decision = await limiter.consume(`persons:${clientOf(contextValue)}`, limits.perMinute, 60, codes.size);
          if (decision.allowed) return;
          rateLimitRefusals.inc({ caller_kind: caller.kind, limit: 'person_lookups_per_minute' });
          throw refusal(
            ErrorCode.RATE_LIMITED,
            `at most ${limits.perMinute} resident ID numbers per minute from one client; retry in ${decision.retryAfterSeconds} s`,
            { retryAfterSeconds: decision.retryAfterSeconds, limit: limits.perMinute },
            new Map([['retry-after', String(decision.retryAfterSeconds)]]),
          );
        },
      };
    },
  };
}

/** The distinct resident ID numbers among the operation's string literals and variable values. */
export function personCodesIn(document: DocumentNode, variables: Record<string, unknown>): Set<string> {
  const codes = new Set<string>();
  const consider = (value: unknown): void => {
    if (typeof value === 'string') {
      const code = normaliseCode(value);
      if (code.length === 18 && checkResidentId(code).ok) codes.add(code);
    } else if (Array.isArray(value)) {
      value.forEach(consider);
    } else if (value !== null && typeof value === 'object') {
      Object.values(value).forEach(consider);
    }
  };
  visit(document, { StringValue: (node) => consider(node.value) });
  consider(variables);
  return codes;
}
