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
import type { GatewayContext } from './pipeline/context.js';
import { discloseStep } from './pipeline/disclose.js';
import { inOrder } from './pipeline/inOrder.js';
import { limitPersonLookupsStep, type PersonLookupLimits } from './pipeline/limitPersonLookups.js';
import { planAndExecuteStep } from './pipeline/planAndExecute.js';
import { ProvenDataSource } from './pipeline/proof.js';
import { rateLimitStep } from './pipeline/rateLimit.js';
import { statusStep } from './pipeline/status.js';
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
  /** A6: resident ID numbers a caller other than a department may look up, per request and per minute. */
  personLookups: PersonLookupLimits;
  /** Reverse proxies whose X-Forwarded-For names the client. */
  trustedProxies: ReadonlySet<string>;
  /** How long a query-log append may take before the data it would record is withheld. */
  queryLogTimeoutMs: number;
  maskHashKey: string;
  /** Benchmarks only: the same gateway with authorisation, masking and logging switched off. */
  policy?: 'enforced' | 'off-for-benchmark';
}

/**
 * The federation gateway, built but not listening. A request goes through, in order:
 * verify token → rate limit → check operation → limit person lookups → plan and execute → disclose (mask, log) → status.
 */
export function createGateway(options: GatewayOptions) {
  // @apollo/gateway reports usage to its vendor every hour unless this is set when it is built: nothing leaves
  // for anyone this deployment did not configure
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const classification = Classification.fromSupergraph(options.supergraphSdl);
  const enforced = options.policy !== 'off-for-benchmark';
  const auditSource = queryLogSource(options.queryLog);
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) => {
      if (name === 'audit') return auditSource;
      const configured = options.subgraphUrls[name as SubgraphName] ?? url;
      if (!configured) throw new Error(`no address configured for subgraph ${name}`);
      return new ProvenDataSource(name, configured, options.proof);
    },
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway: enforced ? planAndExecuteStep(gateway, classification) : gateway,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    formatError: safeFormatError('gateway'),
    plugins: enforced
      ? [
          inOrder([
            rateLimitStep(options.rateLimiter, options.bankRateLimit),
            checkOperationStep(classification),
            limitPersonLookupsStep(options.rateLimiter, options.personLookups),
            discloseStep({ classification, hashKey: options.maskHashKey, queryLog: options.queryLog, logTimeoutMs: options.queryLogTimeoutMs }),
            statusStep(),
          ]),
        ]
      : [],
  });
  const context = enforced
    ? verifyTokenStep(options.verifier, options.trustedProxies)
    : async (): Promise<GatewayContext> => ({ caller: ANONYMOUS, refusedPurpose: null, clientAddress: 'benchmark', variables: {} });
  return { apollo, context };
}
