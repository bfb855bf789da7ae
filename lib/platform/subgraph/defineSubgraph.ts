import type { ApolloServer, BaseContext } from '@apollo/server';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { Caller } from '../../contracts/caller.js';
import { subgraphSdl, type SubgraphName } from '../../../schema/files.js';
import { migrate, type Database } from '../db/index.js';
import { ensureEventTables, joinBus, type DeliveredEvent, type EventBus } from '../events/index.js';
import { startPeriodic } from '../process/periodic.js';
import { buildSubgraphServer } from './subgraphServer.js';

/** Work a service does by itself while it runs (its event relay, what time does); stopped on close. */
export interface Background {
  stop(): Promise<void>;
  /** Runs it once now (tests on a simulated clock; after a clock change). */
  tick(): Promise<unknown>;
  /** Delivers the outbox now rather than at the relay's next poll. */
  wake(): void;
}

/** Everything a subgraph is, in one place: the one way the three are defined. */
export interface SubgraphDefinition<Context extends BaseContext> {
  name: SubgraphName;
  db: Database;
  /** Where its events go and the others' come from; absent: its outbox only fills. */
  bus?: EventBus;
  resolvers: GraphQLResolverMap<Context>;
  /** The per-request context for the caller the gateway vouched for. */
  context: (caller: Caller) => Context;
  migrations: URL;
  /** The other subgraphs' events it acts on, each once (the inbox); it validates them first. */
  consumes?: (db: Database, event: DeliveredEvent) => Promise<unknown>;
  /** It publishes events of its own: its outbox is relayed. */
  publishes?: boolean;
  /** What time does by itself: run before the service first answers, then every `everyMs`. */
  periodic?: { name: string; everyMs?: number; run: () => Promise<unknown> };
  /** Demonstration data for an empty database; resolves whether it loaded any. */
  seed?: () => Promise<boolean>;
}

/** What `defineSubgraph` gives `startSubgraph`: built, not listening. */
export interface SubgraphService<Context extends BaseContext> {
  name: SubgraphName;
  apollo: ApolloServer<Context>;
  context: (caller: Caller) => Promise<Context>;
  db: Database;
  bus?: EventBus;
  migrate: () => Promise<string[]>;
  seed?: () => Promise<boolean>;
  background: () => Promise<Background>;
}

export function defineSubgraph<Context extends BaseContext>(definition: SubgraphDefinition<Context>): SubgraphService<Context> {
  const { name, db, bus } = definition;
  return {
    name,
    apollo: buildSubgraphServer<Context>(name, subgraphSdl(name), definition.resolvers),
    context: async (caller) => definition.context(caller),
    db,
    ...(bus ? { bus } : {}),
    migrate: async () => {
      const applied = await migrate(db, definition.migrations);
      await ensureEventTables(db);
      return applied;
    },
    ...(definition.seed ? { seed: definition.seed } : {}),
    background: async () => {
      const events = await joinBus(bus, { name, db, handle: definition.consumes ?? (async () => false), publishes: definition.publishes ?? false });
      const periodic = definition.periodic ? startPeriodic(definition.periodic.name, definition.periodic.run, definition.periodic.everyMs) : null;
      return {
        wake: () => events.wake(),
        tick: async () => {
          await periodic?.tick();
          events.wake();
        },
        stop: async () => {
          await periodic?.stop();
          await events.stop();
        },
      };
    },
  };
}
