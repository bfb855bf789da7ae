import { PGlite, types } from '@electric-sql/pglite';
import { StatementCounter, type Database, type Queryable } from './database.js';

/** Dates stay `YYYY-MM-DD` strings (no time-zone drift); int8 counts come back as numbers, as in ./postgres.ts. */
const parsers = {
  [types.DATE]: (value: string) => value,
  [types.INT8]: (value: string) => Number(value),
};

/** Embedded PostgreSQL (WASM). `dataDir` undefined keeps everything in memory. */
export async function openPglite(dataDir?: string): Promise<Database> {
  const db = await PGlite.create(dataDir, { parsers });
  const counter = new StatementCounter();
  const run: Queryable = {
    query: async <Row>(sql: string, params?: readonly unknown[]) =>
      (await db.query<Row>(sql, params as unknown[] | undefined)).rows,
  };
  const counted = counter.wrap(run);
  return {
    query: counted.query,
    transaction: (work) =>
      db.transaction((tx) =>
        work(counter.wrap({ query: async <Row>(sql: string, params?: readonly unknown[]) => (await tx.query<Row>(sql, params as unknown[] | undefined)).rows })),
      ),
    get statementCount() {
      return counter.count;
    },
    close: () => db.close(),
  };
}
