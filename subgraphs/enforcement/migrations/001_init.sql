-- Joint-enforcement tasks (E1–E3): one measure, one implementing department, one entry.
CREATE TABLE tasks (
  id text PRIMARY KEY,
  entry_id text NOT NULL,
  subject_code text NOT NULL,
  department text NOT NULL,
  measure text NOT NULL,
  status text NOT NULL CHECK (status IN ('INITIATED', 'ACKNOWLEDGED', 'FED_BACK', 'WITHDRAWN')),
  initiated_on date NOT NULL,
  UNIQUE (entry_id, department, measure)
);
CREATE INDEX tasks_subject_idx ON tasks (subject_code);
