import { systemClock, type Clock } from '../../lib/platform/clock.js';
import type { Database } from '../../lib/platform/db/index.js';
import type { EventBus } from '../../lib/platform/events/index.js';
import { defineSubgraph } from '../../lib/platform/subgraph/defineSubgraph.js';
import { onListingsEvent } from './inbound.js';
import { createLoaders } from './loaders.js';
import { enforcementResolvers, type EnforcementContext } from './resolvers.js';
import { EnforcementStore } from './store.js';

export interface EnforcementOptions {
  db: Database;
  /** Where listings' events come from (E1, E5); absent: no tasks are initiated. */
  bus?: EventBus;
  clock?: Clock;
  legacyCreditCodes?: ReadonlySet<string>;
}

export const ENFORCEMENT_MIGRATIONS = new URL('./migrations/', import.meta.url);

/**
 * The enforcement subgraph, built but not listening: tests and `npm start` use the same one. It has no demonstration
 * data of its own: its tasks and its projection of the entries in force come from listings' events, as in production.
 */
export function createEnforcementServer({ db, bus, clock = systemClock, legacyCreditCodes = new Set<string>() }: EnforcementOptions) {
  return defineSubgraph<EnforcementContext>({
    name: 'enforcement',
    db,
    ...(bus ? { bus } : {}),
    resolvers: enforcementResolvers({ db, clock, legacyCreditCodes }),
    context: (caller) => ({ caller, loaders: createLoaders(new EnforcementStore(db)) }),
    migrations: ENFORCEMENT_MIGRATIONS,
    // E1, E5: listings' events, handled once each (inbound.ts)
    consumes: onListingsEvent,
  });
}
