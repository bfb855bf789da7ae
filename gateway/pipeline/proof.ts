import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { PROOF_HEADER, type ProofKeys } from '../../lib/auth/gatewayProof.js';
import type { GatewayContext } from './context.js';

/** Every fetch to a subgraph carries the gateway's proof, with the caller the gateway verified. */
export class ProvenDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(url: string, private readonly keys: ProofKeys) {
    super({ url });
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    if (!('caller' in context)) throw new Error('no caller in the gateway context: refusing to call a subgraph');
    context.proof ??= this.keys.sign(context.caller);
    request.http?.headers.set(PROOF_HEADER, await context.proof);
  }
}
