import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ANONYMOUS } from '../lib/auth/caller.js';
import type { ProofKeys } from '../lib/auth/gatewayProof.js';
import { safeFormatError } from '../lib/graphql/formatError.js';
import type { RateLimiter } from '../lib/ratelimit/index.js';
import type { SubgraphName } from '../schema/files.js';
import type { QueryLog } from './audit/queryLog.js';
import { queryLogSource } from './audit/subgraph.js';
import type { TokenVerifier } from './auth/verifyToken.js';
import { checkOperationStep } from './pipeline/checkOperation.js';
import { deferred, type GatewayContext } from './pipeline/context.js';
import { logStep } from './pipeline/log.js';
import { maskStep } from './pipeline/mask.js';
import { planAndExecuteStep } from './pipeline/planAndExecute.js';
import { ProvenDataSource } from './pipeline/proof.js';
import { rateLimitStep } from './pipeline/rateLimit.js';
import { verifyTokenStep } from './pipeline/verifyToken.js';
import { Classification } from './policy/classification.js';

export interface GatewayOptions {
  /** The composed supergraph (schema/supergraph.graphql). */
  supergraphSdl: string;
  /** Where each subgraph listens; overrides the addresses written in the supergraph. */
  subgraphUrls: Record<SubgraphName, string>;
  verifier: TokenVerifier;
  proof: ProofKeys;
  queryLog: QueryLog;
  rateLimiter: RateLimiter;
  bankRateLimit: { limit: number; windowSeconds: number };
  maskHashKey: string;
  /** Benchmarks only: the same gateway with authorisation, masking and logging switched off. */
  policy?: 'enforced' | 'off-for-benchmark';
}

/**
 * The federation gateway, built but not listening. A request goes through, in order:
 * verify token → policy (rate limit, operation check) → plan and execute → mask → log.
 */
export function createGateway(options: GatewayOptions) {
  const classification = Classification.fromSupergraph(options.supergraphSdl);
  const enforced = options.policy !== 'off-for-benchmark';
  const auditSource = queryLogSource(options.queryLog);
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) => {
      if (name === 'audit') return auditSource;
      const configured = options.subgraphUrls[name as SubgraphName] ?? url;
      if (!configured) throw new Error(`no address configured for subgraph ${name}`);
      return new ProvenDataSource(configured, options.proof);
    },
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway: enforced ? planAndExecuteStep(gateway, classification) : gateway,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    formatError: safeFormatError('gateway'),
    plugins: enforced
      ? [
          rateLimitStep(options.rateLimiter, options.bankRateLimit),
          checkOperationStep(classification),
          maskStep(classification, options.maskHashKey),
          logStep(options.queryLog),
        ]
      : [],
  });
  const context = enforced
    ? verifyTokenStep(options.verifier)
    : async (): Promise<GatewayContext> => ({ caller: ANONYMOUS, refusedPurpose: null, enforcement: deferred() });
  return { apollo, context };
}
