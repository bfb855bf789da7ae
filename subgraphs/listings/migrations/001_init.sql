-- Subjects and their list entries (1798号). Dates are calendar dates; times are UTC.
CREATE TABLE subjects (
  code text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('ORGANISATION', 'PERSON')),
  name text NOT NULL,
  region text,
  lei text UNIQUE,
  legal_rep_name text,
  legal_rep_id_type text,
  legal_rep_id_number text,
  registered_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((legal_rep_name IS NULL) = (legal_rep_id_number IS NULL))
);
CREATE INDEX subjects_name_idx ON subjects (lower(name));
CREATE INDEX subjects_legal_rep_idx ON subjects (legal_rep_id_number);

CREATE TABLE list_entries (
  id text PRIMARY KEY,
  subject_code text NOT NULL REFERENCES subjects (code),
  kind text NOT NULL CHECK (kind IN ('RED', 'BLACK', 'FOCUS', 'WARNING')),
  status text NOT NULL CHECK (status IN ('NOTICE', 'EFFECTIVE', 'EXITED')),
  field text NOT NULL,
  facts text NOT NULL,
  authority text NOT NULL,
  basis text NOT NULL,
  determined_on date NOT NULL,
  valid_until date,
  repairable boolean NOT NULL DEFAULT true,
  reported_on date NOT NULL,
  exit_way text CHECK (exit_way IN ('WRONGFUL', 'REPAIRED', 'EXPIRED', 'STANDARD_CHANGED', 'SUPERSEDED')),
  exit_on date,
  exit_reason text,
  CHECK (valid_until IS NULL OR valid_until >= determined_on),
  CHECK ((status = 'EXITED') = (exit_way IS NOT NULL))
);
CREATE INDEX list_entries_subject_idx ON list_entries (subject_code);

-- Every change of an entry is an event in its history, never an overwrite of the past.
CREATE TABLE entry_events (
  id bigserial PRIMARY KEY,
  entry_id text NOT NULL REFERENCES list_entries (id),
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  action text NOT NULL,
  reason text,
  data jsonb
);
CREATE INDEX entry_events_entry_idx ON entry_events (entry_id);
