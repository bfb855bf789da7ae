import type { Caller } from '../../lib/auth/caller.js';
import { chinaCalendar, type WorkingDayCalendar } from '../../lib/calendar/index.js';
import { systemClock, type Clock } from '../../lib/clock.js';
import type { Database } from '../../lib/db/index.js';
import { migrate } from '../../lib/db/index.js';
import type { DemoDataset } from '../../lib/demo/dataset.js';
import { ensureEventTables, joinBus, type EventBus } from '../../lib/events/index.js';
import { buildSubgraphServer } from '../../lib/graphql/subgraph.js';
import { startPeriodic } from '../../lib/process/periodic.js';
import { subgraphSdl } from '../../schema/files.js';
import { onListingsEvent } from './inbound.js';
import { createLoaders } from './loaders.js';
import { scheduleInterviews } from './rectification.js';
import { repairResolvers, type RepairContext } from './resolvers.js';
import { seedRepair } from './seed.js';
import { RepairStore } from './store.js';
import { DEFAULT_REPAIR_TERMS, type RepairTerms } from './terms.js';

export interface RepairOptions {
  db: Database;
  /** Where listings' events come from and repair's go; absent: the outbox only fills and no entry becomes known. */
  bus?: EventBus;
  clock?: Clock;
  calendar?: WorkingDayCalendar;
  terms?: RepairTerms;
  /** How often overdue rectifications are turned into interviews (R3). */
  advanceEveryMs?: number;
}

export const REPAIR_MIGRATIONS = new URL('./migrations/', import.meta.url);

/** The repair subgraph, built but not listening: tests and `npm start` use the same one. */
export function createRepairServer(options: RepairOptions) {
  const { db, bus, clock = systemClock, calendar = chinaCalendar, terms = DEFAULT_REPAIR_TERMS } = options;
  const deps = { db, clock, calendar, terms };
  const apollo = buildSubgraphServer<RepairContext>('repair', subgraphSdl('repair'), repairResolvers(deps));
  const context = async (caller: Caller): Promise<RepairContext> => ({ caller, loaders: createLoaders(new RepairStore(db)), today: clock.today() });
  return {
    apollo,
    context,
    db,
    migrate: async () => {
      const applied = await migrate(db, REPAIR_MIGRATIONS);
      await ensureEventTables(db);
      return applied;
    },
    seed: (data: DemoDataset) => seedRepair(db, data, calendar, terms),
    /** Listings' events (the entries' projection, R2 deletion); the outbox relay; interviews when rectification is overdue (R3). */
    background: async () => {
      const events = await joinBus(bus, { name: 'repair', db, handle: onListingsEvent, publishes: true });
      const interviews = startPeriodic('repair interviews', () => scheduleInterviews(db.background, clock.today(), calendar, terms), options.advanceEveryMs);
      return {
        tick: async () => {
          await interviews.tick();
          events.wake();
        },
        stop: async () => {
          await interviews.stop();
          await events.stop();
        },
      };
    },
  };
}
