/**
 * `npm run audit:export -- --since 2026-11-01`: writes the A2 query-log records appended since then as JSON lines on
 * stdout, each with its hash and the hash it links to, and ends with the chain's head, for the security team's log
 * system (which, holding earlier heads, can tell a deleted tail). Progress on stderr. Exit 0 done, 2 could not.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { QueryLog } from '../gateway/audit/queryLog.js';
import { readConfig } from '../lib/platform/config.js';
import { openDatabase, type Database } from '../lib/platform/db/index.js';

const USAGE = 'usage: npm run audit:export -- --since YYYY-MM-DD[THH:MM:SSZ]   (reads DATABASE_URL, or the PGlite files under DATA_DIR)';

function sinceOf(argv: string[]): Date {
  const { values } = parseArgs({ args: argv, options: { since: { type: 'string' } }, strict: true });
  const since = values.since ? new Date(values.since) : null;
  if (!values.since || !since || Number.isNaN(since.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(values.since)) throw new Error('--since needs a date');
  return since;
}

async function main(): Promise<number> {
  let since: Date;
  try {
    since = sinceOf(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  let db: Database | undefined;
  try {
    const { databaseUrl, dataDir } = readConfig();
    // opening PGlite on a missing folder would create an empty database and export nothing, silently
    if (!databaseUrl && !existsSync(join(dataDir, 'gateway'))) {
      console.error(`no gateway database at ${join(dataDir, 'gateway')} (set DATA_DIR or DATABASE_URL)`);
      return 2;
    }
    db = await openDatabase({ name: 'gateway', dataDir, ...(databaseUrl ? { url: databaseUrl } : {}) });
    const log = new QueryLog(db);
    const head = await log.head(); // before the records: every record written is at or below it
    let count = 0;
    for await (const record of log.recordsSince(since)) {
      if (head && record.seq > head.seq) break;
      process.stdout.write(`${JSON.stringify({ type: 'record', ...record, at: record.at.toISOString() })}\n`);
      if (++count % 10_000 === 0) console.error(`[audit:export] ${count} records…`);
    }
    process.stdout.write(`${JSON.stringify({ type: 'head', seq: head?.seq ?? 0, hash: head?.hash ?? null, exportedAt: new Date().toISOString() })}\n`);
    console.error(`[audit:export] ${count} records since ${since.toISOString()}; head seq ${head?.seq ?? 0}`);
    return 0;
  } catch (error) {
    console.error(`could not export the query log: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  } finally {
    await db?.close().catch(() => undefined);
  }
}

process.exitCode = await main();
