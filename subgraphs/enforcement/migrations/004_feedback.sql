-- E2: acknowledgement; E3: feedback, once per caller-supplied key.
ALTER TABLE tasks ADD COLUMN acknowledged_at timestamptz;
CREATE TABLE task_feedback (
  task_id text NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  key text NOT NULL,
  scenario text NOT NULL,
  outcome text NOT NULL,
  on_date date NOT NULL,
  reported_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (task_id, key)
);
