import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { parse, type GraphQLError, type ValidationContext } from 'graphql';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { ErrorCode, refusal } from '../errors.js';
import { SUBGRAPH_LIMITS } from '../limits.js';
import { safeFormatError } from '../graphql/formatError.js';
import { describeUnsafeText, findUnsafeText } from '../graphql/textInput.js';
import { observeOperation } from '../observe/operationPlugin.js';

/** Armor's rejections as validation errors (HTTP 400), not thrown out of the validation pass (which would be a 500). */
const reported = {
  exposeLimits: true,
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

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
    // the second line: what no gateway would send is refused here too (GraphQL Armor's rules; graphql-js's token bound)
    parseOptions: { maxTokens: SUBGRAPH_LIMITS.tokens },
    validationRules: [
      maxDepthRule({ n: SUBGRAPH_LIMITS.depth, ...reported }),
      maxAliasesRule({ n: SUBGRAPH_LIMITS.aliases, ...reported }),
      maxDirectivesRule({ n: SUBGRAPH_LIMITS.directives, ...reported }),
    ],
    // The process owns shutdown (scripts/start.ts, index.ts); tracing is for Apollo's cloud, not used here.
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginInlineTraceDisabled(), refuseUnsafeText, observeOperation],
    formatError: safeFormatError(name),
  });
}
