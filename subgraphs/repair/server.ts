import { chinaCalendar, type WorkingDayCalendar } from '../../lib/domain/calendar/index.js';
import type { DemoDataset } from '../../lib/demo/dataset.js';
import { systemClock, type Clock } from '../../lib/platform/clock.js';
import type { Database } from '../../lib/platform/db/index.js';
import type { EventBus } from '../../lib/platform/events/index.js';
import { recountAtStart } from '../../lib/domain/calendar/provisionalDeadlines.js';
import { defineSubgraph } from '../../lib/platform/subgraph/defineSubgraph.js';
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
  /** Early pilot credit codes that fail the checksum but are genuine: an agency files reports on them too (R6, A5). */
  legacyCreditCodes?: ReadonlySet<string>;
  /** Demonstration objections and repair applications (repair's own records; the entries come from listings' events). */
  demo?: DemoDataset;
}

export const REPAIR_MIGRATIONS = new URL('./migrations/', import.meta.url);

/** The repair subgraph, built but not listening: tests and `npm start` use the same one. */
export function createRepairServer(options: RepairOptions) {
  const { db, clock = systemClock, calendar = chinaCalendar, terms = DEFAULT_REPAIR_TERMS, demo } = options;
  const recount = recountAtStart('repair', db.background, calendar);
  return defineSubgraph<RepairContext>({
    name: 'repair',
    db,
    ...(options.bus ? { bus: options.bus } : {}),
    resolvers: repairResolvers({ db, clock, calendar, terms, ...(options.legacyCreditCodes ? { legacyCreditCodes: options.legacyCreditCodes } : {}) }),
    context: (caller) => ({ caller, loaders: createLoaders(new RepairStore(db)), today: clock.today() }),
    migrations: REPAIR_MIGRATIONS,
    // listings' events: the entries it takes objections and applications against, R2 deletion (inbound.ts)
    consumes: onListingsEvent,
    publishes: true,
    // R3: interviews when a rectification deadline passed
    periodic: {
      name: 'repair interviews',
      everyMs: options.advanceEveryMs ?? 60_000,
      run: async () => {
        await recount(); // once, at start: deadlines counted on a computed calendar year (CAL)
        return scheduleInterviews(db.background, clock.today(), calendar, terms);
      },
    },
    ...(demo ? { seed: () => seedRepair(db, demo, calendar, terms) } : {}),
  });
}
