import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { safeFormatError } from '../lib/graphql/formatError.js';
import type { SubgraphName } from '../schema/files.js';

export interface GatewayOptions {
  /** The composed supergraph (schema/supergraph.graphql). */
  supergraphSdl: string;
  /** Where each subgraph listens; overrides the addresses written in the supergraph. */
  subgraphUrls: Record<SubgraphName, string>;
}

/** The federation gateway, built but not listening: a static supergraph, subgraphs at configured addresses. */
export function createGateway({ supergraphSdl, subgraphUrls }: GatewayOptions) {
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => {
      const configured = subgraphUrls[name as SubgraphName];
      if (!configured && !url) throw new Error(`no address configured for subgraph ${name}`);
      return new RemoteGraphQLDataSource({ url: configured ?? url });
    },
  });
  const apollo = new ApolloServer({
    gateway,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    formatError: safeFormatError('gateway'),
  });
  return { apollo, context: async () => ({}) };
}
