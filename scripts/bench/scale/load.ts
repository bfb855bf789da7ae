import pg from 'pg';
import {
  BATCH_SUBJECTS_SQL,
  FIRST_ENTRY_ID,
  LAST_ENTRY_ID,
  MAX_SUBJECTS,
  SETUP_SQL,
  entriesOf,
  insertEntriesSql,
  insertSubjectsSql,
  subjectCode,
  subjectOfEntry,
  subjectsFor,
  unlistedCode,
  type Schemas,
} from './generate.js';
import { checkSubjectCode } from '../../../lib/domain/identifiers/index.js';

/** The scale database, created and dropped by the bench on the server of `serverUrl` (a database the bench may connect to). */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

async function onServer<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates the scale database; an existing one is dropped first unless `reuse`. Returns whether it existed and was kept. */
export async function createDatabase(serverUrl: string, name: string, reuse: boolean): Promise<boolean> {
  if (!DATABASE_NAME.test(name)) throw new Error(`invalid database name: ${name}`);
  return onServer(serverUrl, async (client) => {
    const exists = (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount! > 0;
    if (exists && reuse) return true;
    if (exists) await client.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
    return false;
  });
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  if (!DATABASE_NAME.test(name)) throw new Error(`invalid database name: ${name}`);
  await onServer(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** The loader's own connection to the scale database: bulk settings for its session only. */
export async function openLoader(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // the bulk load's own session: no wait for WAL flush per batch (a crash loses at most the last batches of a bench),
  // room for the sorts of index builds and the hash joins of a batch
  await client.query('SET synchronous_commit = off');
  await client.query("SET work_mem = '64MB'");
  await client.query("SET maintenance_work_mem = '512MB'");
  for (const sql of SETUP_SQL) await client.query(sql);
  return client;
}

/** What the database holds now: the demonstration entries (seeded by the system) and the generated ones. */
export async function census(client: pg.Client, { listings }: Schemas): Promise<{ seeded: number; generated: number }> {
  const { rows: last } = await client.query<{ id: string }>(`SELECT id FROM ${listings}.list_entries WHERE id BETWEEN $1 AND $2 ORDER BY id DESC LIMIT 1`, [
    FIRST_ENTRY_ID,
    LAST_ENTRY_ID,
  ]);
  const generated = last[0] ? parseInt(last[0].id.slice(FIRST_ENTRY_ID.length - 12), 16) : 0;
  const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${listings}.list_entries WHERE id < $1 OR id > $2`, [
    FIRST_ENTRY_ID,
    LAST_ENTRY_ID,
  ]);
  return { seeded: rows[0]!.n, generated };
}

export interface LoadProgress {
  generated: number;
  target: number;
  subjects: number;
  ms: number;
}

/**
 * Appends generated entries (from+1 .. to) and the subjects they belong to, in batches of `batch` entries, each batch
 * one transaction: the subjects, then the entries and the enforcement subgraph's projection of those in force.
 * Foreign keys are not checked row by row during the load (session_replication_role = replica): every entry joins
 * to a subject of its own batch, or of an earlier one, by construction, and `verify` checks the counts after.
 */
export async function grow(client: pg.Client, schemas: Schemas, from: number, to: number, batch: number, report: (p: LoadProgress) => void): Promise<void> {
  if (subjectsFor(to) > MAX_SUBJECTS) throw new Error(`at most ${MAX_SUBJECTS} subjects can be generated; ${to} entries need ${subjectsFor(to)}`);
  const began = performance.now();
  await client.query('SET session_replication_role = replica');
  try {
    for (let first = from + 1; first <= to; first += batch) {
      const last = Math.min(to, first + batch - 1);
      const existing = subjectsFor(first - 1);
      await client.query('BEGIN');
      try {
        const [drop, create, analyse] = BATCH_SUBJECTS_SQL;
        await client.query(drop!);
        await client.query(create!, [subjectOfEntry(first), subjectOfEntry(last)]);
        await client.query(analyse!);
        await client.query(insertSubjectsSql(schemas), [existing]);
        await client.query(insertEntriesSql(schemas), [first, last]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      report({ generated: last, target: to, subjects: subjectsFor(last), ms: performance.now() - began });
    }
  } finally {
    await client.query('SET session_replication_role = DEFAULT');
  }
}

/** VACUUM (sets the visibility map and hint bits, as a table in service has them) and ANALYZE what the load grew. */
export async function vacuumAnalyse(client: pg.Client, { listings, enforcement }: Schemas): Promise<void> {
  for (const table of [`${listings}.subjects`, `${listings}.list_entries`, `${enforcement}.entries_in_force`]) await client.query(`VACUUM (ANALYZE) ${table}`);
}

/**
 * Checks the generated data against the generator: row counts; the first and last subjects' codes and entry counts
 * as the TypeScript generator computes them; every code valid (check character) and of its kind; no unlisted code registered.
 */
export async function verify(client: pg.Client, { listings, enforcement }: Schemas, seeded: number, generated: number): Promise<void> {
  const fail = (message: string): never => {
    throw new Error(`generated data: ${message}`);
  };
  const count = async (sql: string, params: unknown[] = []) => (await client.query<{ n: number }>(sql, params)).rows[0]!.n;
  const entries = await count(`SELECT count(*)::int AS n FROM ${listings}.list_entries`);
  if (entries !== seeded + generated) fail(`${entries} list entries, expected ${seeded} seeded + ${generated} generated`);
  const subjects = subjectsFor(generated);
  const sample = [...new Set([1, 2, 3, 4, 5, 10, 20, 30, Math.max(1, subjects - 3), Math.max(1, subjects - 2), Math.max(1, subjects - 1), subjects])].filter(
    (s) => s >= 1 && s <= subjects,
  );
  for (const s of sample) {
    const code = subjectCode(s);
    const check = checkSubjectCode(code);
    if (!check.ok) fail(`subject ${s}: ${code} fails its check: ${check.message}`);
    const { rows } = await client.query<{ kind: string; n: number }>(
      `SELECT s.kind, (SELECT count(*)::int FROM ${listings}.list_entries e WHERE e.subject_code = s.code) AS n FROM ${listings}.subjects s WHERE s.code = $1`,
      [code],
    );
    if (!rows[0]) fail(`subject ${s} (${code}) is not registered`);
    if (rows[0]!.kind !== check.kind) fail(`subject ${s} (${code}) is registered as ${rows[0]!.kind}, its code says ${check.kind}`);
    if (rows[0]!.n !== entriesOf(s, generated)) fail(`subject ${s} (${code}) has ${rows[0]!.n} entries, expected ${entriesOf(s, generated)}`);
  }
  const unlisted = [0, 1, 2, 3, 99_999].map(unlistedCode);
  for (const code of unlisted) if (!checkSubjectCode(code).ok) fail(`unlisted code ${code} fails its check`);
  if ((await count(`SELECT count(*)::int AS n FROM ${listings}.subjects WHERE code = ANY($1)`, [unlisted])) > 0) fail('an unlisted code is registered');
  // the projection holds exactly the generated entries in force
  const inForce = await count(`SELECT count(*)::int AS n FROM ${enforcement}.entries_in_force WHERE entry_id BETWEEN $1 AND $2`, [
    FIRST_ENTRY_ID,
    LAST_ENTRY_ID,
  ]);
  const effective = await count(`SELECT count(*)::int AS n FROM ${listings}.list_entries WHERE id BETWEEN $1 AND $2 AND status = 'EFFECTIVE'`, [
    FIRST_ENTRY_ID,
    LAST_ENTRY_ID,
  ]);
  if (inForce !== effective) fail(`${inForce} generated entries in force in enforcement, ${effective} effective in listings`);
}
