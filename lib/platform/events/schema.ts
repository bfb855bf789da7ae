import type { Database } from '../db/database.js';

/**
 * Each service's own event tables. Not a migration file: migrate() reads one folder per service, and the same
 * SQL copied into three folders would be written three times. Every statement is idempotent, so a service calls
 * ensureEventTables(db) after migrate() on every start. Later changes must stay idempotent (ADD COLUMN IF NOT EXISTS).
 */
export const EVENT_TABLES_SQL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS event_outbox (
    seq bigserial PRIMARY KEY,
    id uuid NOT NULL UNIQUE,
    type text NOT NULL,
    key text NOT NULL,
    payload jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    delivered_at timestamptz,
    attempts integer NOT NULL DEFAULT 0,
    last_error text,
    next_attempt_at timestamptz NOT NULL DEFAULT now()
  )`,
  // seq, not created_at, orders delivery: every event of one transaction has the same created_at.
  'CREATE INDEX IF NOT EXISTS event_outbox_undelivered ON event_outbox (seq) WHERE delivered_at IS NULL',
  'CREATE INDEX IF NOT EXISTS event_outbox_undelivered_key ON event_outbox (key, seq) WHERE delivered_at IS NULL',
  'ALTER TABLE event_outbox ADD COLUMN IF NOT EXISTS version integer NOT NULL DEFAULT 1',
  // events a consumer received and could not accept (not the catalogue's shape): kept, reported, never applied
  `CREATE TABLE IF NOT EXISTS event_parked (
    event_id uuid PRIMARY KEY,
    source text NOT NULL,
    type text NOT NULL,
    version integer NOT NULL,
    reason text NOT NULL,
    payload jsonb,
    parked_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE IF NOT EXISTS event_inbox (
    event_id uuid PRIMARY KEY,
    source text NOT NULL,
    type text NOT NULL,
    handled_at timestamptz NOT NULL DEFAULT now()
  )`,
];

/** Serialises concurrent starts: parallel CREATE TABLE IF NOT EXISTS can still collide in PostgreSQL's catalog. */
const EVENT_TABLES_LOCK = 7_310_003; // distinct from the migration (7_310_001) and query-log (7_310_002) locks

export async function ensureEventTables(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [EVENT_TABLES_LOCK]);
    for (const statement of EVENT_TABLES_SQL) await tx.query(statement);
  });
}
