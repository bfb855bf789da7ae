import type { Caller } from '../../lib/auth/caller.js';
import { systemClock, type Clock } from '../../lib/clock.js';
import type { Database } from '../../lib/db/index.js';
import { migrate } from '../../lib/db/index.js';
import type { DemoDataset } from '../../lib/demo/dataset.js';
import { buildSubgraphServer } from '../../lib/graphql/subgraph.js';
import { subgraphSdl } from '../../schema/files.js';
import { createLoaders } from './loaders.js';
import { listingsResolvers, type ListingsContext } from './resolvers.js';
import { ListingsStore } from './store.js';
import { seedListings } from './seed.js';

export interface ListingsOptions {
  db: Database;
  clock?: Clock;
  legacyCreditCodes?: ReadonlySet<string>;
}

export const LISTINGS_MIGRATIONS = new URL('./migrations/', import.meta.url);

/** The listings subgraph, built but not listening: tests and `npm start` use the same one. */
export function createListingsServer({ db, clock = systemClock, legacyCreditCodes = new Set() }: ListingsOptions) {
  const apollo = buildSubgraphServer<ListingsContext>('listings', subgraphSdl('listings'), listingsResolvers({ db, clock, legacyCreditCodes }));
  const context = async (caller: Caller): Promise<ListingsContext> => ({ caller, loaders: createLoaders(new ListingsStore(db)) });
  return {
    apollo,
    context,
    db,
    migrate: () => migrate(db, LISTINGS_MIGRATIONS),
    seed: (data: DemoDataset) => seedListings(db, data, clock.today()),
  };
}
