/**
 * `npm run calendar:recount`: after a year's holiday notice is added to lib/domain/calendar/data/, counts again every
 * deadline that was counted on the computed (provisional) year, in the listings and repair databases, and prints what
 * moved. The services also do this once at every start; this is for an operator who wants to see it before a
 * restart. Exit 0 done, 2 could not run.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chinaCalendar } from '../lib/domain/calendar/index.js';
import { describeRecount, recountProvisionalDeadlines } from '../lib/domain/calendar/provisionalDeadlines.js';
import { readConfig } from '../lib/platform/config.js';
import { openDatabase } from '../lib/platform/db/index.js';

const COUNTING_SUBGRAPHS = ['listings', 'repair'] as const;

async function main(): Promise<number> {
  if (process.argv.length > 2) {
    console.error('usage: npm run calendar:recount   (reads DATABASE_URL, or the PGlite files under DATA_DIR)');
    return 2;
  }
  try {
    const { databaseUrl, dataDir } = readConfig();
    console.log(`calendar: notices through ${chinaCalendar.lastNoticeYear}, computed through ${chinaCalendar.lastYear}`);
    for (const name of COUNTING_SUBGRAPHS) {
      // opening PGlite on a missing folder would create an empty database
      if (!databaseUrl && !existsSync(join(dataDir, name))) {
        console.log(`${name}: no database at ${join(dataDir, name)} (set DATA_DIR or DATABASE_URL): skipped`);
        continue;
      }
      const db = await openDatabase({ name, dataDir, ...(databaseUrl ? { url: databaseUrl } : {}) });
      try {
        const [table] = await db.query<{ t: string | null }>("SELECT to_regclass('provisional_deadlines')::text AS t");
        if (!table?.t) console.log(`${name}: not migrated yet (no provisional_deadlines): nothing to recount`);
        else console.log(describeRecount(name, await recountProvisionalDeadlines(db, chinaCalendar)));
      } finally {
        await db.close();
      }
    }
    return 0;
  } catch (error) {
    console.error(`could not recount: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}

process.exitCode = await main();
