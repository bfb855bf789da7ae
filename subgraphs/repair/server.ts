import type { Caller } from '../../lib/auth/caller.js';
import type { Database } from '../../lib/db/index.js';
import { migrate } from '../../lib/db/index.js';
import type { DemoDataset } from '../../lib/demo/dataset.js';
import { buildSubgraphServer } from '../../lib/graphql/subgraph.js';
import { subgraphSdl } from '../../schema/files.js';
import { createLoaders } from './loaders.js';
import { repairResolvers, type RepairContext } from './resolvers.js';
import { RepairStore } from './store.js';
import { seedRepair } from './seed.js';

export interface RepairOptions {
  db: Database;
}

export const REPAIR_MIGRATIONS = new URL('./migrations/', import.meta.url);

/** The repair subgraph, built but not listening: tests and `npm start` use the same one. */
export function createRepairServer({ db }: RepairOptions) {
  const apollo = buildSubgraphServer<RepairContext>('repair', subgraphSdl('repair'), repairResolvers());
  const context = async (caller: Caller): Promise<RepairContext> => ({ caller, loaders: createLoaders(new RepairStore(db)) });
  return {
    apollo,
    context,
    db,
    migrate: () => migrate(db, REPAIR_MIGRATIONS),
    seed: (data: DemoDataset) => seedRepair(db, data),
  };
}
