import type { Caller } from '../../lib/auth/caller.js';
import type { Database } from '../../lib/db/index.js';
import { migrate } from '../../lib/db/index.js';
import type { DemoDataset } from '../../lib/demo/dataset.js';
import { buildSubgraphServer } from '../../lib/graphql/subgraph.js';
import { subgraphSdl } from '../../schema/files.js';
import { createLoaders } from './loaders.js';
import { enforcementResolvers, type EnforcementContext } from './resolvers.js';
import { EnforcementStore } from './store.js';
import { seedEnforcement } from './seed.js';

export interface EnforcementOptions {
  db: Database;
}

export const ENFORCEMENT_MIGRATIONS = new URL('./migrations/', import.meta.url);

/** The enforcement subgraph, built but not listening: tests and `npm start` use the same one. */
export function createEnforcementServer({ db }: EnforcementOptions) {
  const apollo = buildSubgraphServer<EnforcementContext>('enforcement', subgraphSdl('enforcement'), enforcementResolvers());
  const context = async (caller: Caller): Promise<EnforcementContext> => ({ caller, loaders: createLoaders(new EnforcementStore(db)) });
  return {
    apollo,
    context,
    db,
    migrate: () => migrate(db, ENFORCEMENT_MIGRATIONS),
    seed: (data: DemoDataset) => seedEnforcement(db, data),
  };
}
