import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import type { Caller } from '../../../lib/contracts/caller.js';
import { PROOF_HEADER, type ProofKeys } from '../../../lib/platform/auth/gatewayProof.js';
import type { SubgraphName } from '../../../schema/files.js';
import type { RunningPeer } from './ours.js';

/**
 * A bare @apollo/gateway: a static supergraph, Apollo Server's standalone HTTP server, Apollo's own
 * RemoteGraphQLDataSource (its default fetcher) with one addition, the proof our subgraphs require on every fetch,
 * made in willSendRequest for the request about to be sent, on behalf of one fixed department caller.
 */
export async function startBareApollo(options: {
  supergraphSdl: string;
  subgraphUrls: Record<SubgraphName, string>;
  keys: ProofKeys;
  caller: Caller;
  host: string;
}): Promise<RunningPeer> {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const { keys, caller } = options;
  class ProvenSource extends RemoteGraphQLDataSource {
    constructor(
      private readonly audience: string,
      url: string,
    ) {
      super({ url });
    }

    override willSendRequest({ request }: GraphQLDataSourceProcessOptions): void {
      request.http?.headers.set(PROOF_HEADER, keys.sign(caller, { audience: this.audience, query: request.query ?? '', variables: request.variables ?? null }));
    }
  }
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    // the subgraphs' addresses of this run instead of those written in the supergraph (the in-process audit graph is never fetched)
    buildService: ({ name, url }) => new ProvenSource(name, options.subgraphUrls[name as SubgraphName] ?? url ?? 'http://127.0.0.1:9/unused'),
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: options.host } });
  return {
    url,
    notes: ['RemoteGraphQLDataSource (default fetcher: make-fetch-happen) + willSendRequest setting the proof header'],
    stop: () => server.stop(),
  };
}
