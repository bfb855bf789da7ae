import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { validateAgainst } from '../lib/contracts/operations.js';
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
import { answerFromCacheStep } from './pipeline/answerFromCache.js';
import type { AnswerStore } from './cache/answerStore.js';
import { inOrder } from './pipeline/inOrder.js';
import { limitOperationStep, tokensWithin } from './pipeline/limitOperation.js';
import { limitPersonLookupsStep, type PersonLookupLimits } from './pipeline/limitPersonLookups.js';
import { planAndExecuteStep } from './pipeline/planAndExecute.js';
import { resolveOperation, type OperationRegistry } from './pipeline/registeredOperations.js';
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
  /** Answers given again (./pipeline/answerFromCache.ts); absent: every query is executed. */
  answers?: { store: AnswerStore; ttlMs: number };
  maskHashKey: string;
  /** During a rotation: the key hashes were made with before; responses link each hash to its hash under it (A3). */
  maskHashKeyPrevious?: string;
  /** Every client's registered operations (a reload replaces them). */
  operations: OperationRegistry;
  /** Caller kinds that may send only their client's registered operations. */
  registeredOperationsOnly: ReadonlySet<CallerKind>;
  /** Benchmarks only: the same gateway with authorisation, masking and logging switched off. */
  policy?: 'enforced' | 'off-for-benchmark';
}

/**
 * The federation gateway, built but not listening: the one assembly of its steps, in the order a request meets them.
 *
 *   before the body is read   1 verifyToken (who, from where)  2 rateLimit (rate, requests in flight, body size)
 *   before parsing            the document's token count
 *   before planning           3 checkOperation  4 limitOperation  5 limitPersonLookups
 *   before executing          5a answerFromCache (an answer kept earlier, given again)
 *   executing                 planAndExecute (the policy's fields added), callSubgraph per fetch
 *   before the answer leaves  6 disclose (mask, then log)  6a answerFromCache (keep it, if it may be)  7 reportCost
 *                             8 status
 */
export function createGateway(options: GatewayOptions) {
  // @apollo/gateway reports usage to its vendor every hour unless this is set when it is built: nothing leaves
  // for anyone this deployment did not configure
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const enforced = options.policy !== 'off-for-benchmark';
  let live = { ...buildApollo(options, options.supergraphSdl), supergraphSdl: options.supergraphSdl, operations: options.operations };
  let started = false;

  /**
   * Serves a new supergraph and set of registered operations, or keeps the current ones: the new schema must load, its
   * policy classification build, and every registered operation validate against it. Requests in flight finish on the
   * schema they started on (the old server is stopped only after the longest a request may take).
   */
  const reload = async (next: { supergraphSdl: string; operations: OperationRegistry }): Promise<{ changed: boolean }> => {
    if (next.supergraphSdl === live.supergraphSdl && next.operations === live.operations) return { changed: false };
    const built = next.supergraphSdl === live.supergraphSdl ? live : buildApollo(options, next.supergraphSdl);
    const fresh = built.apollo !== live.apollo;
    if (fresh) await built.apollo.start();
    const problems = invalidOperations(built.apiSchema(), next.operations);
    if (problems.length > 0) {
      if (fresh) await built.apollo.stop();
      throw new Error(`registered operations fail against this supergraph:\n  ${problems.join('\n  ')}`);
    }
    const previous = live.apollo;
    live = { apollo: built.apollo, apiSchema: built.apiSchema, ...next };
    if (fresh) setTimeout(() => void previous.stop(), RETIRE_AFTER_MS).unref();
    return { changed: true };
  };

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
      inspect: (body, search) => resolve(identity.caller, body, search) ?? (enforced ? tokensWithin(body, mine.tokens) : null),
      release: admitted.release,
    };
  };
  const resolve = resolveOperation(() => live.operations, options.registeredOperationsOnly);
  const context = async ({ admitted }: { admitted: Identity }): Promise<GatewayContext> => ({ ...admitted, variables: {} });
  return {
    /** The server answering now (a reload replaces it). */
    current: () => live.apollo,
    /** Starts the first server, and checks the registered operations against its schema. */
    start: async () => {
      await live.apollo.start();
      started = true;
      const problems = invalidOperations(live.apiSchema(), live.operations);
      if (problems.length > 0) throw new Error(`registered operations fail against the supergraph:\n  ${problems.join('\n  ')}`);
    },
    stop: async () => {
      if (started) await live.apollo.stop();
    },
    reload,
    admit,
    context,
  };
}

export type Gateway = ReturnType<typeof createGateway>;

/** A retired server is stopped once every request it was answering is over (subgraph and query-log time limits). */
const RETIRE_AFTER_MS = 60_000;

/** Names the schema served and the mask key (never shown): answers kept under one are not given under another. */
function servedAs(supergraphSdl: string, maskHashKey: string): string {
  return createHash('sha256').update(supergraphSdl).update('\0').update(maskHashKey).digest('base64url');
}

function invalidOperations(schema: GraphQLSchema, operations: OperationRegistry): string[] {
  return validateAgainst(schema, operations.manifests).map((p) => `${p.clientId} ${p.name}: ${p.message}`);
}

/**
 * One Apollo Server over one supergraph: its classification and costs, the policy's steps in order; and, once started,
 * the API schema it serves (what callers see, what their registered operations must validate against).
 */
function buildApollo(options: GatewayOptions, supergraphSdl: string): { apollo: ApolloServer<GatewayContext>; apiSchema: () => GraphQLSchema } {
  const classification = Classification.fromSupergraph(supergraphSdl);
  const costs = CostModel.fromSupergraph(supergraphSdl);
  const enforced = options.policy !== 'off-for-benchmark';
  const auditSource = queryLogSource(options.queryLog);
  const gateway = new ApolloGateway({
    supergraphSdl,
    // its own spans join our traces: never the document (literals can be ID numbers), never error messages
    telemetry: { includeDocument: false, recordExceptions: false },
    buildService: ({ name, url }) => {
      if (name === 'audit') return auditSource;
      const configured = options.subgraphUrls[name as SubgraphName] ?? url;
      if (!configured) throw new Error(`no address configured for subgraph ${name}`);
      return new SubgraphSource(name, configured, options.proof, { timeoutMs: options.subgraphTimeoutsMs[name as SubgraphName] });
    },
  });
  const apiSchema = () => {
    if (!gateway.schema) throw new Error('the gateway has not loaded its supergraph');
    return gateway.schema;
  };
  const apollo = new ApolloServer<GatewayContext>({
    gateway: enforced ? planAndExecuteStep(gateway, classification) : gateway,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    // operations by id are the registered ones (registeredOperations.ts); Apollo's own cache would let any client add any
    persistedQueries: false,
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
              ...(options.answers ? [answerFromCacheStep({ ...options.answers, servedAs: servedAs(supergraphSdl, options.maskHashKey) })] : []),
              // after disclosure: the actual cost counts what is disclosed, so it cannot count rows the policy hid
              reportCostStep(costs),
              statusStep(),
            ]),
          ]
        : []),
    ],
  });
  return { apollo, apiSchema };
}
