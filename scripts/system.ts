import type { BaseContext } from '@apollo/server';
import { randomBytes } from 'node:crypto';
import type { QueryLog } from '../gateway/audit/queryLog.js';
import { gatewayOptions, openGatewayRuntime, registeredOperations } from '../gateway/runtime.js';
import { watchSupergraph } from '../gateway/supergraphWatch.js';
import { gatewayReadiness } from '../gateway/readiness.js';
import { createGateway, type GatewayOptions } from '../gateway/server.js';
import { proofKeys } from '../lib/platform/auth/gatewayProof.js';
import { systemClock, type Clock } from '../lib/platform/clock.js';
import type { Config } from '../lib/platform/config.js';
import { openDatabase, type Database } from '../lib/platform/db/index.js';
import { openEventBus, outboxEmptied, type EventBus } from '../lib/platform/events/index.js';
import { demoDataset } from '../lib/demo/dataset.js';
import { serve } from '../lib/platform/http/serve.js';
import type { SubgraphService } from '../lib/platform/subgraph/defineSubgraph.js';
import { startSubgraph, type StartedSubgraph } from '../lib/platform/subgraph/startSubgraph.js';
import { SUBGRAPHS, type SubgraphName } from '../schema/files.js';
import { createEnforcementServer } from '../subgraphs/enforcement/server.js';
import { createListingsServer } from '../subgraphs/listings/server.js';
import { createRepairServer } from '../subgraphs/repair/server.js';
import { describeError, log } from '../lib/platform/observe/log.js';

export interface SystemOptions {
  config: Config;
  clock?: Clock;
  /** Database (PGlite folder or PostgreSQL schema) of each subgraph and of the gateway's query log; tests give unique ones. */
  databaseNames?: Record<SubgraphName | 'gateway', string>;
  /** Benchmarks only: run the gateway with its policy switched off. */
  policy?: GatewayOptions['policy'];
  /** Keep PGlite in memory instead of files under `config.dataDir` (tests). */
  inMemory?: boolean;
}

export interface RunningSystem {
  gatewayUrl: string;
  subgraphUrls: Record<SubgraphName, string>;
  databases: Record<SubgraphName | 'gateway', Database>;
  queryLog: QueryLog;
  /** The event bus between the subgraphs (in process, or Redis Streams when REDIS_URL is set). */
  bus: EventBus;
  /** Applies what time does by itself now, on the system's clock (tests move a simulated clock, then call this). */
  advance(): Promise<void>;
  /** Reloads the gateway's supergraph and registered operations now (as SIGHUP or a change of the files does). */
  reload(): Promise<void>;
  /** The gateway's `/metrics`, on a port of its own. */
  metricsUrl: string;
  /** Subjects of the demonstration data loaded by this start (0 when the databases already held data). */
  seededSubjects: number;
  stop(): Promise<void>;
}

/**
 * The whole system in one process: three subgraphs, each on its own database and port, and the gateway
 * in front. `npm start` and the end-to-end tests both start it here. A failure part-way stops what started.
 */
export async function startSystem({ config, clock = systemClock, databaseNames, inMemory = false, policy }: SystemOptions): Promise<RunningSystem> {
  const names = databaseNames ?? { listings: 'listings', enforcement: 'enforcement', repair: 'repair', gateway: 'gateway' };
  const open = (name: SubgraphName) =>
    openDatabase({
      name: names[name],
      statementTimeoutMs: config.statementTimeoutMs,
      ...(config.databaseUrl ? { url: config.databaseUrl } : {}),
      ...(inMemory ? {} : { dataDir: config.dataDir }),
    });

  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((e: unknown) => log.error({ error: describeError(e) }, 'while stopping'));
  };
  try {
    const databases = {} as Record<SubgraphName, Database>;
    for (const name of ['listings', 'enforcement', 'repair'] as const) {
      const db = await open(name);
      databases[name] = db;
      cleanups.push(() => db.close());
    }
    const demo: { demo?: ReturnType<typeof demoDataset> } = config.seed ? { demo: demoDataset() } : {};
    // tests give unique database names, and get a stream of their own with them
    const prefix = databaseNames ? `credit-graph:${names.listings}:` : config.eventsPrefix;
    const bus = await openEventBus(config.redisUrl, { prefix, groups: SUBGRAPHS });
    cleanups.push(() => bus.close());
    // one process: the gateway and the subgraphs share a secret made here unless one is configured
    const proofSecret = config.gatewayProofSecret ?? randomBytes(32).toString('base64url');
    // during a rotation the subgraphs accept the previous secret's proofs too, as runSubgraph.ts does
    const proof = proofKeys(proofSecret, config.gatewayProofSecretPrevious ? { previous: config.gatewayProofSecretPrevious } : {});
    const host = config.host;
    const services = {
      listings: createListingsServer({ db: databases.listings, clock, legacyCreditCodes: config.legacyCreditCodes, bus, ...demo }),
      enforcement: createEnforcementServer({ db: databases.enforcement, bus, clock, legacyCreditCodes: config.legacyCreditCodes }),
      repair: createRepairServer({ db: databases.repair, bus, clock, legacyCreditCodes: config.legacyCreditCodes, ...demo }),
    };
    const start = async <C extends BaseContext>(name: SubgraphName, service: SubgraphService<C>): Promise<StartedSubgraph> => {
      const listening = await startSubgraph(service, { port: config.ports[name], host, proof, drainTimeoutMs: config.drainTimeoutMs, seed: config.seed });
      cleanups.push(() => listening.close());
      return listening;
    };
    // every service subscribes when it starts; the in-process bus holds events back until all three have
    const enforcement = await start('enforcement', services.enforcement);
    const repair = await start('repair', services.repair);
    const started = { listings: await start('listings', services.listings), enforcement, repair };
    // the demonstration data reaches enforcement and repair as listings' events: the system is up once they are handled
    if (started.listings.seeded) {
      await outboxEmptied(databases.listings.background, () => started.listings.wake());
      await bus.settled();
    }
    const subgraphUrls = { listings: started.listings.url, enforcement: started.enforcement.url, repair: started.repair.url };
    const runtime = await openGatewayRuntime(config, proofSecret, { logDatabase: names.gateway, inMemory, events: { bus, prefix } });
    cleanups.push(() => runtime.close());
    const gateway = createGateway(gatewayOptions(config, runtime, subgraphUrls, policy));
    await gateway.start();
    cleanups.push(() => gateway.stop());
    const reloads = watchSupergraph(gateway, {
      supergraphFile: config.supergraphFile,
      operationsDir: config.operationsDir,
      loadOperations: () => registeredOperations(config.operationsDir),
    });
    cleanups.push(() => reloads.stop());
    const listening = await serve(gateway.current, {
      service: 'gateway',
      port: config.ports.gateway,
      metricsPort: config.gatewayMetricsPort,
      explorer: config.explorer,
      cors: { origins: config.corsOrigins },
      host,
      admit: gateway.admit,
      context: gateway.context,
      drainTimeoutMs: config.drainTimeoutMs,
      ready: gatewayReadiness(runtime.db, subgraphUrls),
    });
    cleanups.push(() => listening.close());
    const seededSubjects = started.listings.seeded ? (demo.demo?.subjects.length ?? 0) : 0;
    return {
      gatewayUrl: listening.url,
      reload: reloads.reload,
      metricsUrl: listening.metricsUrl!,
      subgraphUrls,
      databases: { ...databases, gateway: runtime.db },
      queryLog: runtime.queryLog,
      bus,
      seededSubjects,
      advance: async () => {
        await started.listings.tick();
        await started.repair.tick();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
