import type { Caller } from '../../lib/auth/caller.js';
import { systemClock, type Clock } from '../../lib/clock.js';
import type { Database } from '../../lib/db/index.js';
import { migrate } from '../../lib/db/index.js';
import { ensureEventTables, joinBus, type EventBus } from '../../lib/events/index.js';
import { onRepairEvent } from './inbound.js';
import type { DemoDataset } from '../../lib/demo/dataset.js';
import { buildSubgraphServer } from '../../lib/graphql/subgraph.js';
import { subgraphSdl } from '../../schema/files.js';
import { createLoaders } from './loaders.js';
import { listingsResolvers, type ListingsContext } from './resolvers.js';
import { ListingsStore } from './store.js';
import { seedListings } from './seed.js';
import { startLifecycle } from './lifecycle.js';
import { DEFAULT_TERMS, type ListingTerms } from './terms.js';
import { chinaCalendar, type WorkingDayCalendar } from '../../lib/calendar/index.js';

export interface ListingsOptions {
  db: Database;
  clock?: Clock;
  calendar?: WorkingDayCalendar;
  terms?: ListingTerms;
  legacyCreditCodes?: ReadonlySet<string>;
  /** How often time-driven transitions are applied (L4, L5, L8c, L9c). */
  advanceEveryMs?: number;
  /** Where listings' events go and the repair subgraph's come from; absent: the outbox only fills. */
  bus?: EventBus;
}

export const LISTINGS_MIGRATIONS = new URL('./migrations/', import.meta.url);

/** The listings subgraph, built but not listening: tests and `npm start` use the same one. */
export function createListingsServer(options: ListingsOptions) {
  const { db, clock = systemClock, calendar = chinaCalendar, terms = DEFAULT_TERMS, legacyCreditCodes = new Set<string>() } = options;
  const apollo = buildSubgraphServer<ListingsContext>(
    'listings',
    subgraphSdl('listings'),
    listingsResolvers({ db, clock, calendar, terms, legacyCreditCodes }),
  );
  const context = async (caller: Caller): Promise<ListingsContext> => ({ caller, loaders: createLoaders(new ListingsStore(db), caller) });
  return {
    apollo,
    context,
    db,
    migrate: async () => {
      const applied = await migrate(db, LISTINGS_MIGRATIONS);
      await ensureEventTables(db);
      return applied;
    },
    seed: (data: DemoDataset) => seedListings(db, data, clock.today(), calendar, terms),
    /** Time by itself (lifecycle.ts); the outbox relay; the repair subgraph's events (inbound.ts). */
    background: async () => {
      const events = await joinBus(options.bus, { name: 'listings', db, handle: (quiet, event) => onRepairEvent(quiet, event, clock.today()), publishes: true });
      const lifecycle = startLifecycle(db.background, clock, options.advanceEveryMs);
      return {
        tick: async () => {
          await lifecycle.tick();
          events.wake();
        },
        stop: async () => {
          await lifecycle.stop();
          await events.stop();
        },
      };
    },
  };
}
