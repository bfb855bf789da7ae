-- E4: the entries in force, projected from listings' events, so a check of 1,000 codes is one indexed read here;
-- and every check, recorded (who asked, for what scenario, what was answered).
CREATE TABLE entries_in_force (
  entry_id text PRIMARY KEY,
  subject_code text NOT NULL,
  kind text NOT NULL,
  field text NOT NULL,
  authority text NOT NULL,
  region text,
  since date NOT NULL
);
CREATE INDEX entries_in_force_subject_idx ON entries_in_force (subject_code);
CREATE TABLE credit_checks (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  client_id text,
  department text,
  subject_code text NOT NULL,
  scenario text NOT NULL,
  verdict text NOT NULL,
  measures text[] NOT NULL,
  entries text[] NOT NULL
);
CREATE INDEX credit_checks_subject_idx ON credit_checks (subject_code);
