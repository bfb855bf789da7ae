import { createHash } from 'node:crypto';
import type { ApolloGateway } from '@apollo/gateway';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import type { GraphQLSchema, SelectionNode } from 'graphql';
import type { Classification } from '../policy/classification.js';
import { POLICY } from '../policy/policy.js';
import { addPolicyFields, policySelections } from '../policy/rewrite.js';

/**
 * Step 3: plan and execute. The caller's operation, plus the fields the policy reads (under reserved
 * aliases), goes to @apollo/gateway, which plans it across the subgraphs and runs the plan.
 */
export function planAndExecuteStep(gateway: ApolloGateway, classification: Classification): GatewayInterface {
  let selections: Map<string, readonly SelectionNode[]> | null = null;
  let forSchema: GraphQLSchema | null = null;
  return {
    async load(options) {
      const loaded = await gateway.load(options);
      return {
        schema: loaded.schema,
        executor: (requestContext) => {
          if (forSchema !== requestContext.schema) {
            forSchema = requestContext.schema;
            selections = policySelections(requestContext.schema, classification);
          }
          const document = addPolicyFields(requestContext.document, requestContext.schema, selections!);
          // the gateway caches plans by this hash: it must name the rewritten operation
          const queryHash = createHash('sha256').update(requestContext.queryHash).update(POLICY.version).digest('hex');
          return loaded.executor({ ...requestContext, document, queryHash });
        },
      };
    },
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    stop: () => gateway.stop(),
  } as GatewayInterface;
}
