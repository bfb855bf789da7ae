import type { BaseContext } from '@apollo/server';
import { randomBytes } from 'node:crypto';
import { systemClock } from '../../../lib/platform/clock.js';
import type { Config } from '../../../lib/platform/config.js';
import { proofKeys } from '../../../lib/platform/auth/gatewayProof.js';
import { openDatabase, type Database } from '../../../lib/platform/db/index.js';
import { openEventBus, outboxEmptied } from '../../../lib/platform/events/index.js';
import { demoDataset } from '../../../lib/demo/dataset.js';
import { describeError, log } from '../../../lib/platform/observe/log.js';
import type { SubgraphService } from '../../../lib/platform/subgraph/defineSubgraph.js';
import { startSubgraph, type StartedSubgraph } from '../../../lib/platform/subgraph/startSubgraph.js';
import { SUBGRAPHS, type SubgraphName } from '../../../schema/files.js';
import { createEnforcementServer } from '../../../subgraphs/enforcement/server.js';
import { createListingsServer } from '../../../subgraphs/listings/server.js';
import { createRepairServer } from '../../../subgraphs/repair/server.js';

export interface RunningSubgraphs {
  urls: Record<SubgraphName, string>;
  databases: Record<SubgraphName, Database>;
  /** Subjects of the demonstration data loaded by this start. */
  seededSubjects: number;
  stop(): Promise<void>;
}

/**
 * The three subgraphs as scripts/system.ts starts them (each on its own in-memory PGlite and free port, seeded with the
 * demonstration data, the in-process event bus between them), without a gateway: every gateway of the comparison is put
 * in front of these same three. Their proof keys take `proofSecret`, so every gateway that knows it can sign for them.
 */
export async function startSubgraphs(config: Config, proofSecret: string): Promise<RunningSubgraphs> {
  const unique = (name: string) => `bench_peers_${name}_${randomBytes(5).toString('hex')}`;
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((e: unknown) => log.error({ error: describeError(e) }, 'while stopping'));
  };
  try {
    const databases = {} as Record<SubgraphName, Database>;
    const names = {} as Record<SubgraphName, string>;
    for (const name of SUBGRAPHS) {
      names[name] = unique(name);
      const db = await openDatabase({ name: names[name], statementTimeoutMs: config.statementTimeoutMs });
      databases[name] = db;
      cleanups.push(() => db.close());
    }
    const demo = { demo: demoDataset() };
    const bus = await openEventBus(undefined, { prefix: `credit-graph:${names.listings}:`, groups: SUBGRAPHS });
    cleanups.push(() => bus.close());
    const proof = proofKeys(proofSecret);
    const clock = systemClock;
    const services = {
      listings: createListingsServer({ db: databases.listings, clock, legacyCreditCodes: config.legacyCreditCodes, bus, ...demo }),
      enforcement: createEnforcementServer({ db: databases.enforcement, bus, clock, legacyCreditCodes: config.legacyCreditCodes }),
      repair: createRepairServer({ db: databases.repair, bus, clock, legacyCreditCodes: config.legacyCreditCodes, ...demo }),
    };
    const start = async <C extends BaseContext>(name: SubgraphName, service: SubgraphService<C>): Promise<StartedSubgraph> => {
      const listening = await startSubgraph(service, { port: 0, host: config.host, proof, drainTimeoutMs: config.drainTimeoutMs, seed: true });
      cleanups.push(() => listening.close());
      return listening;
    };
    // as scripts/system.ts: every service subscribes when it starts, listings last (its seed reaches the others as events)
    const enforcement = await start('enforcement', services.enforcement);
    const repair = await start('repair', services.repair);
    const listings = await start('listings', services.listings);
    if (listings.seeded) {
      await outboxEmptied(databases.listings.background, () => listings.wake());
      await bus.settled();
    }
    return {
      urls: { listings: listings.url, enforcement: enforcement.url, repair: repair.url },
      databases,
      seededSubjects: listings.seeded ? demo.demo.subjects.length : 0,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
