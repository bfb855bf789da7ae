import { chinaCalendar, type WorkingDayCalendar } from '../../lib/domain/calendar/index.js';
import type { DemoDataset } from '../../lib/demo/dataset.js';
import { systemClock, type Clock } from '../../lib/platform/clock.js';
import type { Database } from '../../lib/platform/db/index.js';
import type { EventBus } from '../../lib/platform/events/index.js';
import { recountAtStart } from '../../lib/domain/calendar/provisionalDeadlines.js';
import { defineSubgraph } from '../../lib/platform/subgraph/defineSubgraph.js';
import { onRepairEvent } from './inbound.js';
import { advance } from './lifecycle.js';
import { createLoaders } from './loaders.js';
import { listingsResolvers, type ListingsContext } from './resolvers.js';
import { seedListings } from './seed.js';
import { ListingsStore } from './store.js';
import { DEFAULT_TERMS, type ListingTerms } from './terms.js';

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
  /** Demonstration data, loaded into an empty database when the service starts with seeding on. */
  demo?: DemoDataset;
}

export const LISTINGS_MIGRATIONS = new URL('./migrations/', import.meta.url);

/** The listings subgraph, built but not listening: tests and `npm start` use the same one. */
export function createListingsServer(options: ListingsOptions) {
  const { db, clock = systemClock, calendar = chinaCalendar, terms = DEFAULT_TERMS, legacyCreditCodes = new Set<string>(), demo } = options;
  const recount = recountAtStart('listings', db.background, calendar);
  return defineSubgraph<ListingsContext>({
    name: 'listings',
    db,
    ...(options.bus ? { bus: options.bus } : {}),
    resolvers: listingsResolvers({ db, clock, calendar, terms, legacyCreditCodes }),
    context: (caller) => ({ caller, loaders: createLoaders(new ListingsStore(db), caller) }),
    migrations: LISTINGS_MIGRATIONS,
    // the repair subgraph's events (R2 deletion, R7 exit): inbound.ts
    consumes: (quiet, event) => onRepairEvent(quiet, event, clock.today()),
    publishes: true,
    // what time does by itself (L4, L5, L8c, L9c): lifecycle.ts
    // and, once at start, deadlines counted on a computed calendar year are counted again (CAL)
    periodic: {
      name: 'listings advance',
      everyMs: options.advanceEveryMs ?? 60_000,
      run: async () => {
        await recount();
        return advance(db.background, clock.today());
      },
    },
    ...(demo ? { seed: () => seedListings(db, demo, clock.today(), calendar, terms) } : {}),
  });
}
