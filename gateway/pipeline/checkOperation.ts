import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, visit, type GraphQLObjectType } from 'graphql';
import { ErrorCode, creditError } from '../../lib/errors.js';
import type { Classification } from '../policy/classification.js';
import { collectFields } from '../policy/collectFields.js';
import { canAccess } from '../policy/decide.js';
import { RESERVED_PREFIX } from '../policy/rewrite.js';
import type { GatewayContext } from './context.js';

/**
 * Step 2b: what can be decided before anything runs. The reserved aliases are the gateway's own; a
 * mutation the caller may not perform is refused before it reaches a subgraph (nothing is changed).
 */
export function checkOperationStep(classification: Classification): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema, request, contextValue: { caller } }) {
          visit(document, {
            Field(node) {
              if (node.alias?.value.startsWith(RESERVED_PREFIX)) {
                throw creditError(ErrorCode.BAD_USER_INPUT, `aliases starting with ${RESERVED_PREFIX} are reserved`, { alias: node.alias.value });
              }
            },
          });
          if (operation?.operation !== 'mutation') return;
          const root = schema.getMutationType() as GraphQLObjectType;
          const fragments = Object.fromEntries(
            document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])),
          );
          const fields = collectFields({ schema, fragments, variables: request.variables ?? {} }, root, [operation.selectionSet]);
          for (const nodes of fields.values()) {
            const name = nodes[0]!.name.value;
            if (name === '__typename') continue;
            if (!canAccess(classification.rule(root.name, name).access, caller)) {
              throw creditError(ErrorCode.FORBIDDEN, `${name} is not allowed for this caller`, { field: name });
            }
          }
        },
      };
    },
  };
}
