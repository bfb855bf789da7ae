import type { ApolloServer, BaseContext } from '@apollo/server';
import type { Database } from '../db/index.js';
import type { DemoDataset } from '../demo/dataset.js';
import { serve, type Listening } from './serve.js';

/** What every subgraph's `server.ts` builds. */
export interface SubgraphService<Context extends BaseContext> {
  apollo: ApolloServer<Context>;
  context: () => Promise<Context>;
  db: Database;
  migrate: () => Promise<string[]>;
  seed: (data: DemoDataset) => Promise<boolean>;
}

export interface StartOptions {
  port: number;
  host?: string;
  /** Demonstration data to load when the database is empty. */
  seed?: DemoDataset;
}

export interface StartedSubgraph extends Listening {
  /** True when this start loaded the demonstration data (the database was empty). */
  seeded: boolean;
}

/** Migrates, seeds an empty database if asked, starts Apollo and listens; `close` undoes all but the database. */
export async function startSubgraph<Context extends BaseContext>(service: SubgraphService<Context>, options: StartOptions): Promise<StartedSubgraph> {
  await service.migrate();
  const seeded = options.seed ? await service.seed(options.seed) : false;
  await service.apollo.start();
  const listening = await serve(service.apollo, {
    port: options.port,
    ...(options.host ? { host: options.host } : {}),
    context: () => service.context(),
    health: async () => {
      await service.db.query('SELECT 1');
      return { database: 'ok' };
    },
  });
  return {
    ...listening,
    seeded,
    close: async () => {
      await listening.close();
      await service.apollo.stop();
    },
  };
}
