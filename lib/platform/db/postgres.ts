import pg from 'pg';
import { counted, type Database, type Queryable } from './database.js';
import { watchPool } from '../observe/metrics.js';

const DATE_OID = 1082;
const INT8_OID = 20;

/** Same value shapes as ./pglite.ts: dates as `YYYY-MM-DD` strings, int8 as numbers. */
const typeParser = {
  getTypeParser(oid: number, format?: string) {
    if (oid === DATE_OID) return (value: string) => value;
    if (oid === INT8_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * PostgreSQL through a connection pool, confined to one schema: each subgraph owns its own schema
 * (or database), so no subgraph can read another's tables.
 */
export async function openPostgres(
  url: string,
  schema: string,
  { poolSize = 10, statementTimeoutMs }: { poolSize?: number; statementTimeoutMs?: number } = {},
): Promise<Database> {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  const bootstrap = new pg.Client({ connectionString: url });
  await bootstrap.connect();
  try {
    await bootstrap.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } finally {
    await bootstrap.end();
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    options: `-c search_path=${schema}`,
    types: typeParser,
    // a request never waits on a runaway statement: the server cancels it
    ...(statementTimeoutMs ? { statement_timeout: statementTimeoutMs } : {}),
  });
  const unwatch = watchPool(schema, () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }));
  const onClient = (client: pg.Pool | pg.PoolClient): Queryable => ({
    query: async <Row>(sql: string, params?: readonly unknown[]) => (await client.query(sql, params as unknown[] | undefined)).rows as Row[],
  });
  return counted(
    onClient(pool),
    async (work) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(onClient(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async () => {
      unwatch();
      await pool.end();
    },
  );
}

/** Drops a schema and all it holds (test teardown). */
export async function dropPostgresSchema(url: string, schema: string): Promise<void> {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
