/**
 * `npm run audit:verify`: checks the A2 query log's hash chain. Exit 0 intact, 1 broken, 2 could not check.
 * A chain cannot show a deleted tail: compare the printed count and head with those published earlier.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readConfig } from '../lib/platform/config.js';
import { openDatabase, type Database } from '../lib/platform/db/index.js';
import { QueryLog } from '../gateway/audit/queryLog.js';

async function main(): Promise<number> {
  if (process.argv.length > 2) {
    console.error('usage: npm run audit:verify   (reads DATABASE_URL, or the PGlite files under DATA_DIR)');
    return 2;
  }
  let db: Database | undefined;
  try {
    const { databaseUrl, dataDir } = readConfig();
    // Opening PGlite on a missing folder would create an empty database and call it intact.
    if (!databaseUrl && !existsSync(join(dataDir, 'gateway'))) {
      console.error(`no gateway database at ${join(dataDir, 'gateway')} (set DATA_DIR or DATABASE_URL)`);
      return 2;
    }
    db = await openDatabase({ name: 'gateway', dataDir, ...(databaseUrl ? { url: databaseUrl } : {}) });
    const result = await new QueryLog(db).verify();
    if (result.ok) {
      console.log(`query log intact: ${result.records} records, head ${result.head ?? '(empty)'}`);
      return 0;
    }
    console.log(`query log BROKEN at seq ${result.brokenAt}: ${result.reason} (${result.records} records intact before it)`);
    return 1;
  } catch (error) {
    console.error(`could not verify the query log: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  } finally {
    await db?.close().catch(() => undefined);
  }
}

process.exitCode = await main();
