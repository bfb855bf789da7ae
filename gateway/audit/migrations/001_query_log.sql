-- A2 query log: one row per read of personal data, hash-chained (gateway/audit/record.ts).
-- seq is assigned by QueryLog.append as last + 1 under an advisory lock, not by a sequence:
-- a rolled-back append would leave a sequence gap that verify could not tell from a deleted row.
-- at is timestamptz(3), milliseconds, exactly what a JS Date holds: what is hashed is what reads back.
CREATE TABLE query_log (
  seq bigint PRIMARY KEY,
  at timestamptz(3) NOT NULL,
  token_id text,
  client_id text,
  caller_kind text NOT NULL,
  department text,
  purpose text,
  operation_hash text NOT NULL,
  subjects text[] NOT NULL,
  fields text[] NOT NULL,
  policy_version text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL UNIQUE
);

-- A subject reads who queried it: subjects @> ARRAY[code].
CREATE INDEX query_log_subjects ON query_log USING gin (subjects);

-- Append-only in the database itself, so casual tampering fails. A superuser can still disable the
-- trigger: audit:verify detects what is changed then.
-- lib/platform/db/migrate.ts splits statements at a semicolon that ends a line, so the body stays on one line.
CREATE FUNCTION query_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'query_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege'; END $$;

CREATE TRIGGER query_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON query_log
  FOR EACH STATEMENT EXECUTE FUNCTION query_log_refuse_change();
