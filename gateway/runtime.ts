import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadOperations } from '../lib/contracts/operations.js';
import { OperationRegistry } from './pipeline/registeredOperations.js';
import type { JWK } from 'jose';
import { proofKeys, type ProofKeys } from '../lib/platform/auth/gatewayProof.js';
import type { Config } from '../lib/platform/config.js';
import { openDatabase, type Database } from '../lib/platform/db/index.js';
import { openRateLimiter, type RateLimiter } from '../lib/platform/ratelimit/index.js';
import type { SubgraphName } from '../schema/files.js';
import { QueryLog } from './audit/queryLog.js';
import { DEV_PUBLIC_JWKS } from './auth/devKey.js';
import { createTokenVerifier, type TokenVerifier } from './auth/verifyToken.js';
import type { GatewayOptions } from './server.js';
import type { EventBus } from '../lib/platform/events/index.js';
import { MemoryAnswerStore, RedisAnswerStore, type AnswerStore } from './cache/answerStore.js';
import { invalidateOnEvents } from './cache/invalidateOnEvents.js';

export interface GatewayRuntime {
  verifier: TokenVerifier;
  /** Every client's registered operations, as read at start (a reload reads them again). */
  operations: OperationRegistry;
  proof: ProofKeys;
  queryLog: QueryLog;
  rateLimiter: RateLimiter;
  /** The query log's own database. */
  db: Database;
  /** Answers given again (absent: the cache is off, or the gateway hears no events to end them by). */
  answers?: AnswerStore;
  close(): Promise<void>;
}

/** What the gateway needs from its environment: trusted keys, the query-log database, the rate limiter. */
export async function openGatewayRuntime(
  config: Config,
  proofSecret: string,
  options: { logDatabase?: string; inMemory?: boolean; events?: { bus: EventBus; prefix: string } } = {},
): Promise<GatewayRuntime> {
  const keys: JWK[] = [...(config.auth.trustDevKey ? DEV_PUBLIC_JWKS.keys : [])];
  if (config.auth.jwksFile) keys.push(...(JSON.parse(await readFile(config.auth.jwksFile, 'utf8')) as { keys: JWK[] }).keys);
  if (keys.length === 0 && !config.auth.jwksUrl) throw new Error('no token keys are trusted: set AUTH_JWKS_URL or AUTH_JWKS_FILE');
  const verifier = createTokenVerifier({
    issuer: config.auth.issuer,
    audience: config.auth.audience,
    maxLifetimeSeconds: config.auth.maxTokenLifetimeSeconds,
    ...(keys.length > 0 ? { jwks: { keys } } : {}),
    ...(config.auth.jwksUrl ? { jwksUrl: config.auth.jwksUrl } : {}),
  });
  const db: Database = await openDatabase({
    name: options.logDatabase ?? 'gateway',
    ...(config.databaseUrl ? { url: config.databaseUrl } : {}),
    ...(options.inMemory ? {} : { dataDir: config.dataDir }),
  });
  try {
    const queryLog = new QueryLog(db);
    await queryLog.migrate();
    const rateLimiter = await openRateLimiter(config.redisUrl);
    const answers = options.events && config.answerCacheTtlMs > 0 ? await openAnswerCache(config, options.events) : undefined;
    return {
      verifier,
      operations: await registeredOperations(config.operationsDir),
      proof: proofKeys(proofSecret),
      queryLog,
      rateLimiter,
      db,
      ...(answers ? { answers: answers.store } : {}),
      close: async () => {
        await answers?.close();
        await rateLimiter.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}

/**
 * The answer cache, only with the events that end its answers: in Redis beside the bus (shared by every gateway
 * instance), in process without Redis. Keys under the bus's prefix, so two systems on one Redis never share answers.
 */
async function openAnswerCache(config: Config, events: { bus: EventBus; prefix: string }) {
  const store = config.redisUrl ? await RedisAnswerStore.open(config.redisUrl, `${events.prefix}answers:`) : new MemoryAnswerStore();
  try {
    const subscription = await invalidateOnEvents(events.bus, store);
    return {
      store,
      close: async () => {
        await subscription.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** What createGateway (the one assembly, gateway/server.ts) needs, from a configuration and its opened runtime. */
export function gatewayOptions(
  config: Config,
  runtime: GatewayRuntime,
  subgraphUrls: Record<SubgraphName, string>,
  policy?: GatewayOptions['policy'],
): GatewayOptions {
  return {
    supergraphSdl: readFileSync(config.supergraphFile, 'utf8'),
    operations: runtime.operations,
    registeredOperationsOnly: config.registeredOperationsOnly,
    subgraphUrls,
    verifier: runtime.verifier,
    proof: runtime.proof,
    queryLog: runtime.queryLog,
    rateLimiter: runtime.rateLimiter,
    callerLimits: config.callerLimits,
    costMode: config.costMode,
    subgraphTimeoutsMs: config.subgraphTimeoutsMs,
    personLookups: config.personLookups,
    trustedProxies: config.trustedProxies,
    queryLogTimeoutMs: config.queryLogTimeoutMs,
    ...(runtime.answers ? { answers: { store: runtime.answers, ttlMs: config.answerCacheTtlMs } } : {}),
    maskHashKey: config.maskHashKey,
    ...(config.maskHashKeyPrevious ? { maskHashKeyPrevious: config.maskHashKeyPrevious } : {}),
    ...(policy ? { policy } : {}),
  };
}

/** The registered operations of every client (`<dir>/<clientId>.json`); none when the directory does not exist. */
export async function registeredOperations(dir: string): Promise<OperationRegistry> {
  return new OperationRegistry(await loadOperations(dir));
}
