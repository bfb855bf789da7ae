import type { Caller } from '../../lib/auth/caller.js';
import { systemClock, type Clock } from '../../lib/clock.js';
import type { Database } from '../../lib/db/index.js';
import { migrate } from '../../lib/db/index.js';
import { ensureEventTables, joinBus, type EventBus } from '../../lib/events/index.js';
import { onListingsEvent } from './inbound.js';
import type { DemoDataset } from '../../lib/demo/dataset.js';
import { buildSubgraphServer } from '../../lib/graphql/subgraph.js';
import { subgraphSdl } from '../../schema/files.js';
import { createLoaders } from './loaders.js';
import { enforcementResolvers, type EnforcementContext } from './resolvers.js';
import { EnforcementStore } from './store.js';
import { seedEnforcement } from './seed.js';

export interface EnforcementOptions {
  db: Database;
  /** Where listings' events come from (E1, E5); absent: no tasks are initiated. */
  bus?: EventBus;
  clock?: Clock;
  legacyCreditCodes?: ReadonlySet<string>;
}

export const ENFORCEMENT_MIGRATIONS = new URL('./migrations/', import.meta.url);

/** The enforcement subgraph, built but not listening: tests and `npm start` use the same one. */
export function createEnforcementServer({ db, bus, clock = systemClock, legacyCreditCodes = new Set<string>() }: EnforcementOptions) {
  const apollo = buildSubgraphServer<EnforcementContext>('enforcement', subgraphSdl('enforcement'), enforcementResolvers({ db, clock, legacyCreditCodes }));
  const context = async (caller: Caller): Promise<EnforcementContext> => ({ caller, loaders: createLoaders(new EnforcementStore(db)) });
  return {
    apollo,
    context,
    db,
    migrate: async () => {
      const applied = await migrate(db, ENFORCEMENT_MIGRATIONS);
      await ensureEventTables(db);
      return applied;
    },
    /** E1, E5: listings' events, handled once each, on the uncounted view of the database. */
    background: () => joinBus(bus, { name: 'enforcement', db, handle: onListingsEvent, publishes: false }),
    seed: (data: DemoDataset) => seedEnforcement(db, data),
  };
}
