/**
 * A child process for the query log's crash test (gateway/audit/queryLog.test.ts): many concurrent appenders append
 * without end, and each record's `seq hash` is printed to stdout once its append resolved (acknowledged: a gateway
 * would now send the data), until the parent kills the process with SIGKILL mid-batch. The parent then checks that
 * every acknowledged record is in the log.
 *
 * Environment: APPEND_DATABASE_URL and APPEND_SCHEMA (PostgreSQL), or APPEND_DATA_DIR (PGlite's files); APPENDERS (32);
 * APPEND_COMMIT_DELAY_MS (0): every append transaction waits this long before its COMMIT, as behind a slow disk, so a
 * kill mostly lands between a batch's INSERT and its COMMIT: a caller told before COMMIT would then have been told of
 * a record that is lost.
 */
import { join } from 'node:path';
import { openDatabase, type Database, type Queryable } from '../../lib/platform/db/index.js';
import { QueryLog } from '../../gateway/audit/queryLog.js';

const url = process.env.APPEND_DATABASE_URL;
const dataDir = process.env.APPEND_DATA_DIR;
const appenders = Number(process.env.APPENDERS ?? 32);
const commitDelayMs = Number(process.env.APPEND_COMMIT_DELAY_MS ?? 0);

const db: Database = url
  ? await openDatabase({ url, name: process.env.APPEND_SCHEMA ?? 'query_log_crash' })
  : await openDatabase({ name: 'crash', dataDir: dataDir ?? join(process.cwd(), 'data', 'crash') });
const slowCommits: Database = {
  ...db,
  transaction: <T>(work: (tx: Queryable) => Promise<T>) =>
    db.transaction(async (tx) => {
      const result = await work(tx);
      await new Promise((resolve) => setTimeout(resolve, commitDelayMs));
      return result;
    }),
};
const log = new QueryLog(commitDelayMs > 0 ? slowCommits : db);
await log.migrate();
process.stderr.write('appending\n');

let n = 0;
await Promise.all(
  Array.from({ length: appenders }, async (_, appender) => {
    for (;;) {
      const records = Array.from({ length: 1 + (n++ % 3) }, () => ({
        at: new Date(),
        tokenId: `tok-${appender}`,
        clientId: 'crash-test',
        callerKind: 'DEPARTMENT',
        department: 'MOF',
        purpose: 'crash test',
        operationHash: 'c'.repeat(64),
        subjects: [`CRASH${appender}`],
        fields: ['Person.idNumber'],
        policyVersion: 'crash',
      }));
      const stored = await log.appendAll(records);
      // a pipe is written synchronously on Linux: once this returns, the parent can read the acknowledgement
      process.stdout.write(stored.map((r) => `${r.seq} ${r.hash}\n`).join(''));
    }
  }),
);
