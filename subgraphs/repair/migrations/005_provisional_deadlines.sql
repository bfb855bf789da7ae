-- CAL: deadlines counted onto a year without a State Council holiday notice, with what they were counted from, so that
-- they are counted again when the notice is added (lib/domain/calendar/provisionalDeadlines.ts)
CREATE TABLE provisional_deadlines (
  record_table text NOT NULL,
  record_column text NOT NULL,
  record_id text NOT NULL,
  counted_from date NOT NULL,
  working_days integer NOT NULL CHECK (working_days >= 0),
  counted date NOT NULL,
  PRIMARY KEY (record_table, record_column, record_id)
);
