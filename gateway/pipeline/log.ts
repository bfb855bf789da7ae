import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode } from '../../lib/errors.js';
import type { QueryLog } from '../audit/queryLog.js';
import { POLICY } from '../policy/policy.js';
import type { GatewayContext } from './context.js';

/**
 * Step 5: log (A2, A4). A response that reveals personal or trade-secret data in full, and every query
 * by a bank, is recorded before it is sent. If the record cannot be written, what it would have recorded
 * is taken back out of the response: no log, no data.
 */
export function logStep(log: QueryLog): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, queryHash, contextValue: { caller, enforcement } }) {
          const outcome = await enforcement.promise;
          if (!outcome || response.body.kind !== 'single') return;
          if (outcome.revealed.length === 0 && caller.kind !== 'bank') return;
          try {
            await log.append({
              at: new Date(),
              tokenId: caller.tokenId,
              clientId: caller.clientId,
              callerKind: caller.kind,
              department: caller.department,
              purpose: caller.purpose,
              operationHash: queryHash ?? '',
              subjects: [...new Set([...outcome.subjects, ...outcome.revealed.flatMap((r) => (r.subject ? [r.subject] : []))])].sort(),
              fields: [...new Set(outcome.revealed.map((r) => r.coordinate))].sort(),
              policyVersion: POLICY.version,
            });
          } catch (error) {
            console.error('[gateway] the query log could not be written; personal data withheld:', error);
            const result = response.body.singleResult;
            for (const revealed of outcome.revealed) revealed.withdraw();
            if (caller.kind === 'bank') result.data = null; // A4: a bank's query is answered only when logged
            result.errors = [
              ...(result.errors ?? []),
              { message: 'the query log is unavailable: personal data is not returned', extensions: { code: ErrorCode.QUERY_LOG_UNAVAILABLE } },
            ];
          }
        },
      };
    },
  };
}
