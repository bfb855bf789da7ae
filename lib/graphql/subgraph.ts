import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { parse } from 'graphql';
import { ErrorCode, refusal } from '../errors.js';
import { safeFormatError } from './formatError.js';
import { describeUnsafeText, findUnsafeText } from './textInput.js';

/** A second line behind the gateway's: no text input carries control or bidirectional characters to the database. */
const refuseUnsafeText: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ document, request }) {
        const unsafe = findUnsafeText(document, request.variables);
        if (unsafe) throw refusal(ErrorCode.BAD_USER_INPUT, describeUnsafeText(unsafe), { argument: unsafe.where });
      },
    };
  },
};

/**
 * An Apollo Server for one subgraph, built but not listening. Errors a caller can act on keep their
 * registered code; anything unexpected is logged here and reaches the caller as a bare INTERNAL_SERVER_ERROR.
 */
export function buildSubgraphServer<Context extends BaseContext>(name: string, sdl: string, resolvers: GraphQLResolverMap<Context>) {
  return new ApolloServer<Context>({
    schema: buildSubgraphSchema({ typeDefs: parse(sdl), resolvers: resolvers as GraphQLResolverMap<unknown> }),
    includeStacktraceInErrorResponses: false,
    // The process owns shutdown (scripts/start.ts, index.ts); tracing is for Apollo's cloud, not used here.
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginInlineTraceDisabled(), refuseUnsafeText],
    formatError: safeFormatError(name),
  });
}

