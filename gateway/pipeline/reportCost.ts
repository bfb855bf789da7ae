import type { ApolloServerPlugin } from '@apollo/server';
import { fragmentsOf } from '../policy/collectFields.js';
import type { CostModel } from '../policy/cost.js';
import type { GatewayContext } from './context.js';

/**
 * Step 7: the cost in the response's extensions, so integrators see what their operations cost against their
 * budget: `extensions.cost = { estimated, actual, budget, mode }`. The actual is counted over what is disclosed, after
 * the policy: counted over what was fetched, it would tell how many rows the policy hid (a count oracle).
 */
export function reportCostStep(costs: CostModel): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, document, operation, schema, contextValue }) {
          if (response.body.kind !== 'single' || !contextValue.cost || !document || !operation) return;
          const result = response.body.singleResult;
          const actual = costs.actual({ schema, fragments: fragmentsOf(document), variables: contextValue.variables, operation }, result.data);
          result.extensions = { ...result.extensions, cost: { ...contextValue.cost, actual } };
        },
      };
    },
  };
}
