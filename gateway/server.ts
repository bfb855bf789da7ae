import type { IncomingMessage } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ANONYMOUS, type CallerKind } from '../lib/contracts/caller.js';
import type { ProofKeys } from '../lib/platform/auth/gatewayProof.js';
import { ErrorCode } from '../lib/platform/errors.js';
import { safeFormatError } from '../lib/platform/graphql/formatError.js';
import type { Admission, Refusal } from '../lib/platform/http/serve.js';
import { loosest, type CallerLimits } from '../lib/platform/limits.js';
import type { RateLimiter } from '../lib/platform/ratelimit/index.js';
import type { SubgraphName } from '../schema/files.js';
import type { QueryLog } from './audit/queryLog.js';
import { queryLogSource } from './audit/queryLogSource.js';
import type { TokenVerifier } from './auth/verifyToken.js';
import { SubgraphSource } from './pipeline/callSubgraph.js';
import { checkOperationStep } from './pipeline/checkOperation.js';
import type { GatewayContext } from './pipeline/context.js';
import { discloseStep } from './pipeline/disclose.js';
import { inOrder } from './pipeline/inOrder.js';
import { limitOperationStep, tokensWithin } from './pipeline/limitOperation.js';
import { limitPersonLookupsStep, type PersonLookupLimits } from './pipeline/limitPersonLookups.js';
import { planAndExecuteStep } from './pipeline/planAndExecute.js';
import { throttle } from './pipeline/rateLimit.js';
import { reportCostStep } from './pipeline/reportCost.js';
import { statusStep } from './pipeline/status.js';
import { identify, type Identity } from './pipeline/identify.js';
import { Classification } from './policy/classification.js';
import { observeOperation } from '../lib/platform/observe/operationPlugin.js';
import { noteCaller } from '../lib/platform/observe/observeRequest.js';
import { describeError, logOf } from '../lib/platform/observe/log.js';

const log = logOf('gateway');
import { CostModel } from './policy/cost.js';

export interface GatewayOptions {
  /** The composed supergraph (schema/supergraph.graphql). */
  supergraphSdl: string;
  /** Where each subgraph listens; overrides the addresses written in the supergraph. */
  subgraphUrls: Record<SubgraphName, string>;
  /** How long each subgraph may take to answer one fetch. */
  subgraphTimeoutsMs: Record<SubgraphName, number>;
  verifier: TokenVerifier;
  proof: ProofKeys;
  queryLog: QueryLog;
  rateLimiter: RateLimiter;
  /** Per caller kind: rate, in flight, body, tokens, depth, aliases, root fields, directives, list sizes, cost. */
  callerLimits: Record<CallerKind, CallerLimits>;
  costMode: 'enforce' | 'measure';
  /** A6: resident ID numbers a caller other than a department may look up, per request and per minute. */
  personLookups: PersonLookupLimits;
  /** Reverse proxies whose X-Forwarded-For names the client. */
  trustedProxies: ReadonlySet<string>;
  /** How long a query-log append may take before the data it would record is withheld. */
  queryLogTimeoutMs: number;
  maskHashKey: string;
  /** During a rotation: the key hashes were made with before; responses link each hash to its hash under it (A3). */
  maskHashKeyPrevious?: string;
  /** Benchmarks only: the same gateway with authorisation, masking and logging switched off. */
  policy?: 'enforced' | 'off-for-benchmark';
}

/**
 * The federation gateway, built but not listening: the one assembly of its steps, in the order a request meets them.
 *
 *   before the body is read   1 verifyToken (who, from where)  2 rateLimit (rate, requests in flight, body size)
 *   before parsing            the document's token count
 *   before planning           3 checkOperation  4 limitOperation  5 limitPersonLookups
 *   executing                 planAndExecute (the policy's fields added), callSubgraph per fetch
 *   before the answer leaves  6 disclose (mask, then log)  7 reportCost  8 status
 */
export function createGateway(options: GatewayOptions) {
  // @apollo/gateway reports usage to its vendor every hour unless this is set when it is built: nothing leaves
  // for anyone this deployment did not configure
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const classification = Classification.fromSupergraph(options.supergraphSdl);
  const costs = CostModel.fromSupergraph(options.supergraphSdl);
  const enforced = options.policy !== 'off-for-benchmark';
  const auditSource = queryLogSource(options.queryLog);
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    // its own spans join our traces: never the document (literals can be ID numbers), never error messages
    telemetry: { includeDocument: false, recordExceptions: false },
    buildService: ({ name, url }) => {
      if (name === 'audit') return auditSource;
      const configured = options.subgraphUrls[name as SubgraphName] ?? url;
      if (!configured) throw new Error(`no address configured for subgraph ${name}`);
      return new SubgraphSource(name, configured, options.proof, { timeoutMs: options.subgraphTimeoutsMs[name as SubgraphName] });
    },
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway: enforced ? planAndExecuteStep(gateway, classification) : gateway,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    // a second bound, should a document get past the per-caller count: graphql-js stops parsing at it
    parseOptions: { maxTokens: loosest(options.callerLimits, 'tokens') },
    formatError: safeFormatError('gateway'),
    plugins: [
      observeOperation,
      ...(enforced
        ? [
            inOrder([
              checkOperationStep(classification),
              limitOperationStep(options.callerLimits, costs, options.costMode),
              limitPersonLookupsStep(options.rateLimiter, options.personLookups),
              discloseStep({
                classification,
                hashKey: options.maskHashKey,
                ...(options.maskHashKeyPrevious ? { hashKeyPrevious: options.maskHashKeyPrevious } : {}),
                queryLog: options.queryLog,
                logTimeoutMs: options.queryLogTimeoutMs,
              }),
              // after disclosure: the actual cost counts what is disclosed, so it cannot count rows the policy hid
              reportCostStep(costs),
              statusStep(),
            ]),
          ]
        : []),
    ],
  });

  const who = identify(options.verifier, options.trustedProxies);
  const limit = throttle(options.rateLimiter, options.callerLimits);
  /** Steps 1 and 2, before the body is read: an abusive request costs the gateway next to nothing. */
  const admit = async (req: IncomingMessage): Promise<Admission<Identity> | Refusal> => {
    let identity: Identity;
    try {
      identity = enforced ? await who(req) : { caller: ANONYMOUS, refusedPurpose: null, clientAddress: 'benchmark' };
    } catch (error) {
      if (error instanceof GraphQLError && typeof error.extensions.code === 'string')
        return { code: error.extensions.code as ErrorCode, message: error.message };
      log.error({ error: describeError(error) }, 'could not verify a token');
      return { code: ErrorCode.SERVICE_UNAVAILABLE, message: 'tokens cannot be verified right now', detail: { service: 'token keys' } };
    }
    noteCaller(identity.caller.kind);
    const mine = options.callerLimits[identity.caller.kind];
    const admitted = enforced ? await limit(identity) : { release: () => undefined };
    if ('code' in admitted) return admitted;
    return {
      state: identity,
      maxBodyBytes: mine.bodyBytes,
      inspect: (body) => (enforced ? tokensWithin(body, mine.tokens) : null),
      release: admitted.release,
    };
  };
  const context = async ({ admitted }: { admitted: Identity }): Promise<GatewayContext> => ({ ...admitted, variables: {} });
  return { apollo, admit, context };
}
