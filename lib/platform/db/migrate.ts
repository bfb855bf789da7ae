import { readdir, readFile } from 'node:fs/promises';
import type { Database } from './database.js';

/** Serialises concurrent starts of the same subgraph against one database (any constant works). */
const MIGRATION_LOCK = 7_310_001;

/**
 * Applies the `NNN_name.sql` files of `dir` that this database has not seen, in name order, each in its
 * own transaction together with its bookkeeping row, so a failed migration leaves nothing half-applied.
 */
export async function migrate(db: Database, dir: URL): Promise<string[]> {
  const files = (await readdir(dir)).filter((f) => /^\d+_[\w-]+\.sql$/.test(f)).sort();
  await db.query('CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
  const applied: string[] = [];
  for (const file of files) {
    const sql = await readFile(new URL(file, dir), 'utf8');
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const seen = await tx.query('SELECT 1 FROM schema_migrations WHERE id = $1', [file]);
      if (seen.length > 0) return false;
      for (const statement of splitStatements(sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (id) VALUES ($1)', [file]);
      return true;
    });
    if (done) applied.push(file);
  }
  return applied;
}

/** Migrations are plain DDL: statements end with `;` at the end of a line (no function bodies). */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);
}
