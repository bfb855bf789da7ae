import { createHash } from 'node:crypto';
import type { ApolloGateway } from '@apollo/gateway';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import type { DocumentNode, GraphQLSchema, SelectionNode } from 'graphql';
import type { Classification } from '../policy/classification.js';
import { POLICY } from '../policy/policy.js';
import { addPolicyFields, policySelections } from '../policy/rewrite.js';

/** Rewritten operations kept (as many as Apollo's own document cache holds, roughly): the oldest goes first. */
const MAX_REWRITTEN = 1000;

/**
 * Step 3: plan and execute. The caller's operation, plus the fields the policy reads (under reserved
 * aliases), goes to @apollo/gateway, which plans it across the subgraphs and runs the plan.
 */
export function planAndExecuteStep(gateway: ApolloGateway, classification: Classification): GatewayInterface {
  let selections: Map<string, readonly SelectionNode[]> | null = null;
  let forSchema: GraphQLSchema | null = null;
  // an operation is rewritten once, like the gateway plans it once: by its document's hash, for the schema served
  const rewritten = new Map<string, { document: DocumentNode; queryHash: string }>();
  return {
    async load(options) {
      const loaded = await gateway.load(options);
      return {
        schema: loaded.schema,
        executor: (requestContext) => {
          if (forSchema !== requestContext.schema) {
            forSchema = requestContext.schema;
            selections = policySelections(requestContext.schema, classification);
            rewritten.clear();
          }
          let operation = rewritten.get(requestContext.queryHash);
          if (!operation) {
            operation = {
              document: addPolicyFields(requestContext.document, requestContext.schema, selections!),
              // the gateway caches plans by this hash: it must name the rewritten operation
              queryHash: createHash('sha256').update(requestContext.queryHash).update(POLICY.version).digest('hex'),
            };
            if (rewritten.size >= MAX_REWRITTEN) rewritten.delete(rewritten.keys().next().value!);
            rewritten.set(requestContext.queryHash, operation);
          }
          return loaded.executor({ ...requestContext, ...operation });
        },
      };
    },
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    stop: () => gateway.stop(),
  } as GatewayInterface;
}
