import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import { PROOF_HEADER, type ProofKeys } from '../../lib/auth/gatewayProof.js';
import { ErrorCode, creditError } from '../../lib/errors.js';
import type { GatewayContext } from './context.js';

const RESET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

function isConnectionReset(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (typeof code === 'string' && RESET.has(code)) || (error instanceof Error && /socket hang up/.test(error.message));
}

/** Codes a subgraph answers when the caller's input was at fault (variable coercion answers HTTP 400 with them). */
const CALLERS_FAULT = new Set<string>([ErrorCode.BAD_USER_INPUT, ErrorCode.BAD_IDENTIFIER]);

/**
 * Every fetch to a subgraph carries a proof made for it alone (lib/auth/gatewayProof.ts): this subgraph, this
 * document and variables, this caller. What goes wrong between the gateway and a subgraph reaches the caller
 * naming the subgraph, never its address, status line or body.
 */
export class ProvenDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly name: string,
    url: string,
    private readonly keys: ProofKeys,
  ) {
    super({ url });
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    if (!('caller' in context)) throw new Error('no caller in the gateway context: refusing to call a subgraph');
    const proof = this.keys.sign(context.caller, { audience: this.name, query: request.query ?? '', variables: request.variables ?? null });
    request.http?.headers.set(PROOF_HEADER, proof);
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    try {
      try {
        return await super.process(options);
      } catch (error) {
        // a kept-alive connection the subgraph closed as it was reused: a read is sent once more (with a new proof);
        // a write never, it may have been applied
        if (!isConnectionReset(error) || /^\s*mutation\b/.test(options.request.query ?? '')) throw error;
        return await super.process(options);
      }
    } catch (error) {
      if (error instanceof GraphQLError && typeof error.extensions.code === 'string' && CALLERS_FAULT.has(error.extensions.code)) throw error;
      console.error(`[gateway] the ${this.name} subgraph failed:`, error instanceof Error ? error.message : error);
      throw creditError(ErrorCode.SERVICE_UNAVAILABLE, `the ${this.name} service is unavailable`, { service: this.name });
    }
  }

  /** A subgraph's HTTP error: the caller's own mistake is passed on in the subgraph's words; anything else is ours. */
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]): Promise<GraphQLError> {
    const body = (await response.json().catch(() => null)) as { errors?: { message?: unknown; extensions?: { code?: unknown } }[] } | null;
    const first = body?.errors?.[0];
    const code = first?.extensions?.code;
    if (response.status === 400 && typeof code === 'string' && CALLERS_FAULT.has(code) && typeof first?.message === 'string') {
      return creditError(code as ErrorCode, first.message, { service: this.name });
    }
    return new GraphQLError(`HTTP ${response.status} from ${this.name}: ${JSON.stringify(body)}`);
  }
}
