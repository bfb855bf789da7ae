import type { ApolloServerPlugin } from '@apollo/server';
import { getVariableValues, visit } from 'graphql';
import { ErrorCode, refusal } from '../../lib/platform/errors.js';
import { describeUnsafeText, findUnsafeText } from '../../lib/platform/graphql/textInput.js';
import type { Classification } from '../policy/classification.js';
import { collectFields, fragmentsOf } from '../policy/collectFields.js';
import { canAccess } from '../policy/decide.js';
import { RESERVED_PREFIX } from '../policy/rewrite.js';
import type { GatewayContext } from './context.js';

/** Meta fields every caller may ask at the root. */
const META = new Set(['__typename', '__schema', '__type']);

/**
 * Step 3: what can be decided before anything runs. The variables are coerced once, defaults applied, and the
 * policy reads only those; the reserved aliases are the gateway's own; text carries no control or bidirectional
 * characters; and a root field the caller may not use — query or mutation — refuses the whole operation, so
 * nothing of it runs and nothing is written (a refused credit check is not a recorded one).
 */
export function checkOperationStep(classification: Classification): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema, request, contextValue }) {
          if (!operation) return;
          const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
          if (coerced.errors) throw refusal(ErrorCode.BAD_USER_INPUT, coerced.errors[0]!.message);
          contextValue.variables = coerced.coerced;

          if (document.loc?.source.body.includes(RESERVED_PREFIX) ?? true) {
            visit(document, {
              Field(node) {
                if (node.alias?.value.startsWith(RESERVED_PREFIX)) {
                  throw refusal(ErrorCode.BAD_USER_INPUT, `aliases starting with ${RESERVED_PREFIX} are reserved`, { alias: node.alias.value });
                }
              },
            });
          }
          const unsafe = findUnsafeText(document, request.variables);
          if (unsafe) throw refusal(ErrorCode.BAD_USER_INPUT, describeUnsafeText(unsafe), { argument: unsafe.where });

          const root = schema.getRootType(operation.operation);
          if (!root) throw refusal(ErrorCode.BAD_USER_INPUT, `this graph has no ${operation.operation} operations`);
          const fields = collectFields({ schema, fragments: fragmentsOf(document), variables: contextValue.variables }, root, [operation.selectionSet]);
          for (const nodes of fields.values()) {
            const name = nodes[0]!.name.value;
            if (META.has(name)) continue;
            if (!canAccess(classification.rule(root.name, name).access, contextValue.caller)) {
              throw refusal(ErrorCode.FORBIDDEN, `${name} is not allowed for this caller`, { field: name });
            }
          }
        },
      };
    },
  };
}
