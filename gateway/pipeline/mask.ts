import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type FragmentDefinitionNode } from 'graphql';
import { ErrorCode } from '../../lib/errors.js';
import type { Classification } from '../policy/classification.js';
import { enforce } from '../policy/enforce.js';
import { POLICY } from '../policy/policy.js';
import type { GatewayContext } from './context.js';

/**
 * Step 4: mask. The executed response is cut to what the policy allows this caller. If anything here
 * fails, no data leaves: security by default, never unmasked data because something broke.
 */
export function maskStep(classification: Classification, hashKey: string): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, document, operation, schema, request, contextValue }) {
          const { caller, refusedPurpose, enforcement } = contextValue;
          if (response.body.kind !== 'single') {
            response.body = { kind: 'single', singleResult: { errors: [{ message: 'incremental delivery is not supported', extensions: { code: ErrorCode.BAD_USER_INPUT } }] } };
            return enforcement.resolve(null);
          }
          const result = response.body.singleResult;
          if (!result.data || !document || !operation) return enforcement.resolve(null);
          try {
            const fragments: Record<string, FragmentDefinitionNode> = {};
            for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
            const outcome = enforce(result.data, {
              op: { schema, fragments, variables: request.variables ?? {}, operation },
              classification,
              caller,
              hashKey,
            });
            result.data = outcome.data;
            const notes = refusedPurpose
              ? [{ message: `purpose ${JSON.stringify(refusedPurpose)} is not allowed by this token; personal data is masked`, extensions: { code: ErrorCode.PURPOSE_NOT_ALLOWED } }]
              : [];
            const errors = [...(result.errors ?? []), ...outcome.errors, ...notes];
            if (errors.length > 0) result.errors = errors;
            result.extensions = {
              ...result.extensions,
              policy: { version: POLICY.version, masked: outcome.masked },
            };
            enforcement.resolve(outcome);
          } catch (error) {
            console.error('[gateway] policy enforcement failed; response withheld:', error);
            result.data = null;
            result.errors = [{ message: 'internal error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }];
            enforcement.resolve(null);
          }
        },
      };
    },
  };
}
