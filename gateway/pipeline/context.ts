import type { Caller } from '../../lib/contracts/caller.js';

/** What one request carries through the gateway's pipeline, step to step. */
export interface GatewayContext {
  caller: Caller;
  /** A purpose stated in X-Credit-Purpose that the token does not allow. */
  refusedPurpose: string | null;
  /** Where the request came from (X-Forwarded-For only from trusted proxies): limits per client address. */
  clientAddress: string;
  /**
   * The operation's variables coerced against the schema, defaults applied (checkOperation.ts sets them): the
   * only variables the policy reads, so `$v: Boolean = true` means what GraphQL execution makes of it.
   */
  variables: Record<string, unknown>;
  /** The estimated cost and this caller's budget (limitOperation.ts), reported with the actual cost. */
  cost?: { estimated: number; budget: number; mode: 'enforce' | 'measure' };
  /**
   * The answer cache's view of this request (answerFromCache.ts): where its answer would be kept, whether it came from
   * there, and, once a step finds it may not be kept, why.
   */
  answerCache?: { key: string; generation: string; hit: boolean; notKept?: string };
}

/** Tells the answer cache this request's answer may not be given to anyone again (it records, writes, or logs). */
export function neverKeepAnswer(context: GatewayContext, reason: string): void {
  if (context.answerCache && !context.answerCache.notKept) context.answerCache.notKept = reason;
}
