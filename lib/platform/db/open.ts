import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from './database.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';

export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent, the embedded PGlite is used. */
  url?: string;
  /** The subgraph's own schema (PostgreSQL) or folder (PGlite). */
  name: string;
  /** Where PGlite keeps its files; absent: in memory. */
  dataDir?: string;
  /** PostgreSQL cancels any statement that runs longer (ms); absent: no bound. */
  statementTimeoutMs?: number;
}

export async function openDatabase({ url, name, dataDir, statementTimeoutMs }: DatabaseOptions): Promise<Database> {
  if (url) return openPostgres(url, name, { ...(statementTimeoutMs ? { statementTimeoutMs } : {}) });
  if (!dataDir) return openPglite();
  const dir = join(dataDir, name);
  await mkdir(dir, { recursive: true });
  return openPglite(dir);
}
