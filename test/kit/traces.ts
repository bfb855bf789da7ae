import type { Database } from '../../lib/platform/db/index.js';

/**
 * The tables of `db` (its own schema) in which some row, read as text, contains `needle`, with how many rows:
 * what a deletion that must keep nothing (L8a) left behind. `except` names tables not to search.
 */
export async function tracesOf(db: Database, needle: string, except: readonly string[] = []): Promise<Record<string, number>> {
  const tables = await db.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
  );
  const found: Record<string, number> = {};
  for (const { name } of tables) {
    if (except.includes(name)) continue;
    const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}" AS r WHERE r::text LIKE $1`, [`%${needle}%`]);
    if (row && row.n > 0) found[name] = row.n;
  }
  return found;
}

/** Polls `read` until `done` holds for its value (events travel between subgraphs), or gives up and returns the last. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  return value;
}
