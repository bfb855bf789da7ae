import { randomBytes } from 'node:crypto';
import { dropPostgresSchema, openDatabase, type Database } from '../../lib/platform/db/index.js';

/**
 * The database engines every database test runs against: embedded PGlite always, and the real
 * PostgreSQL server too when DATABASE_URL is set (as .ci/run does).
 */
export interface Backend {
  name: 'pglite' | 'postgres';
  url?: string;
}

export const backends: Backend[] = [{ name: 'pglite' }, ...(process.env.DATABASE_URL ? [{ name: 'postgres' as const, url: process.env.DATABASE_URL }] : [])];

/** A schema name no other test run uses, so suites run in parallel against one server. */
export function uniqueName(prefix: string): string {
  return `t_${prefix}_${randomBytes(5).toString('hex')}`;
}

export interface TestDatabase {
  db: Database;
  /** Closes the database and, on PostgreSQL, drops its schema. */
  dispose(): Promise<void>;
}

export async function openTestDatabase(backend: Backend, prefix: string): Promise<TestDatabase> {
  const name = uniqueName(prefix);
  const db = await openDatabase({ name, ...(backend.url ? { url: backend.url } : {}) });
  return {
    db,
    dispose: async () => {
      await db.close();
      if (backend.url) await dropPostgresSchema(backend.url, name);
    },
  };
}
