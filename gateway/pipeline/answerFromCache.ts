import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { describeError, logOf } from '../../lib/platform/observe/log.js';
import { answerCacheLookups } from '../../lib/platform/observe/metrics.js';
import type { AnswerStore } from '../cache/answerStore.js';
import { POLICY } from '../policy/policy.js';
import { neverKeepAnswer, type GatewayContext } from './context.js';
import { clientOf } from './identify.js';

const log = logOf('gateway');

export interface AnswerCacheOptions {
  store: AnswerStore;
  /** How long an answer is given again at most, events or not (what the clock alone changes). */
  ttlMs: number;
  /** The supergraph served and the mask key: an answer is only given again by the same schema, masked the same way. */
  servedAs: string;
}

/**
 * Step 5a, before execution and after disclosure: a query's answer as the caller received it, given again to the same
 * client (the system its token was issued to; without a token, the same address) while the policy treats it exactly
 * alike — same kind, principal, department, region, scopes and purposes (another token of the same client may share
 * it) — for the same document and variables, under the same policy version, supergraph and mask key, until an event
 * moves the store's generation on (../cache/).
 *
 * Kept per client because a kept answer comes back faster: shared between clients, the speed of an answer would tell
 * one client what another had just read (that someone asked about this subject). Per client, it tells only what the
 * client itself asked.
 *
 * Kept only when the answer records nothing and writes nothing: no value shown in full that the query log must record
 * (A2; so personal data in full is never kept), no market partner's query (A4, A5: every one is recorded), no
 * credit check (E4: each check is a record), no mutation, no query-log read (it changes with every read), no error.
 * A mutation through the gateway ends every kept answer before it is answered.
 * A cache that fails is a miss: the request is answered as if there were none.
 */
export function answerFromCacheStep(options: AnswerCacheOptions): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async responseForOperation({ operation, contextValue, queryHash, request }) {
          const { caller } = contextValue;
          if (operation.operation !== 'query' || contextValue.refusedPurpose || !queryHash) return null;
          const key = answerKey(options.servedAs, contextValue, queryHash, request.operationName ?? null, contextValue.variables);
          let found: Awaited<ReturnType<AnswerStore['lookup']>>;
          try {
            found = await options.store.lookup(key);
          } catch (error) {
            answerCacheLookups.inc({ caller_kind: caller.kind, result: 'error' });
            log.warn({ error: describeError(error) }, 'the answer cache could not be read; answering without it');
            return null;
          }
          contextValue.answerCache = { key, generation: found.generation, hit: found.answer !== null };
          answerCacheLookups.inc({ caller_kind: caller.kind, result: found.answer === null ? 'miss' : 'hit' });
          if (found.answer === null) return null;
          return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: JSON.parse(found.answer) } };
        },

        async willSendResponse({ response, contextValue, operation }) {
          // a write through this gateway ends the kept answers before its caller hears of it: it reads its own write
          // (the write's event would end them too, a moment later)
          if (operation?.operation === 'mutation') {
            await options.store.invalidate().catch((error: unknown) => log.warn({ error: describeError(error) }, 'the answer cache could not be invalidated'));
            return;
          }
          const cache = contextValue.answerCache;
          if (!cache || cache.hit) return;
          if (response.body.kind !== 'single') return;
          const { data, errors, extensions } = response.body.singleResult;
          if (!data || errors?.length) neverKeepAnswer(contextValue, 'no answer, or an answer with errors');
          if (extensions?.hashLinks) neverKeepAnswer(contextValue, 'a mask key rotation is under way');
          if (cache.notKept) return;
          const answer = JSON.stringify({ data, extensions: { policy: extensions?.policy } });
          await options.store.put(cache.generation, cache.key, answer, options.ttlMs).catch((error: unknown) => {
            log.warn({ error: describeError(error) }, 'an answer could not be kept in the answer cache');
          });
        },
      };
    },
  };
}

/** Everything an answer depends on besides the data: who the caller is to the policy and the subgraphs, and what it asked. */
function answerKey(
  servedAs: string,
  { caller, clientAddress }: Pick<GatewayContext, 'caller' | 'clientAddress'>,
  queryHash: string,
  operationName: string | null,
  variables: Record<string, unknown>,
): string {
  const seenAs = [
    clientOf({ caller, clientAddress }),
    caller.kind,
    caller.principal,
    caller.department,
    caller.region,
    [...caller.scopes].sort(),
    [...caller.allowedPurposes].sort(),
    caller.purpose,
  ];
  return createHash('sha256')
    .update(JSON.stringify([servedAs, POLICY.version, seenAs, queryHash, operationName, variables]))
    .digest('base64url');
}
