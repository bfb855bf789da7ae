import { PGlite, types } from '@electric-sql/pglite';
import { counted, type Database, type Queryable } from './database.js';

/** Dates stay `YYYY-MM-DD` strings (no time-zone drift); int8 counts come back as numbers, as in ./postgres.ts. */
const parsers = {
  [types.DATE]: (value: string) => value,
  [types.INT8]: (value: string) => Number(value),
};

/** Embedded PostgreSQL (WASM). `dataDir` undefined keeps everything in memory. */
export async function openPglite(dataDir?: string): Promise<Database> {
  const db = await PGlite.create(dataDir, { parsers });
  const query = (q: { query: PGlite['query'] }): Queryable => ({
    query: async <Row>(sql: string, params?: readonly unknown[]) => (await q.query<Row>(sql, params as unknown[] | undefined)).rows,
  });
  return counted(
    query(db),
    (work) => db.transaction((tx) => work(query(tx))),
    () => db.close(),
  );
}
