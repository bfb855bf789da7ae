import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';

type Hook = 'didResolveOperation' | 'willSendResponse';
const HOOKS: readonly Hook[] = ['didResolveOperation', 'willSendResponse'];

/**
 * The gateway's steps, one hook shape, run one after another in the order given. Apollo Server runs the same hook
 * of different plugins concurrently; a pipeline needs order (the status is decided after the disclosure, the rate
 * limit before the lookup limit), so the steps are assembled into one plugin here.
 */
export function inOrder<Context extends BaseContext>(steps: readonly ApolloServerPlugin<Context>[]): ApolloServerPlugin<Context> {
  return {
    async requestDidStart(requestContext) {
      const listeners: GraphQLRequestListener<Context>[] = [];
      for (const step of steps) {
        const listener = await step.requestDidStart?.(requestContext);
        if (listener) listeners.push(listener);
      }
      const listener: GraphQLRequestListener<Context> = {};
      for (const hook of HOOKS) {
        const run = listeners.flatMap((l) => (l[hook] ? [l[hook]!.bind(l)] : []));
        if (run.length === 0) continue;
        listener[hook] = async (context: never) => {
          for (const step of run) await (step as (c: never) => Promise<void>)(context);
        };
      }
      // the first step with an answer gives it (the answer cache); execution is skipped then
      const answering = listeners.filter((l) => l.responseForOperation);
      if (answering.length > 0) {
        listener.responseForOperation = async (context) => {
          for (const step of answering) {
            const answer = await step.responseForOperation!(context);
            if (answer) return answer;
          }
          return null;
        };
      }
      return listener;
    },
  };
}
