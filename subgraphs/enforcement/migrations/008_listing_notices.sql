-- L14: a listing that may not be published, notified instead to the subject's employer or competent department,
-- recorded like a task and acknowledged by its recipient (as E2). Deleted with its entry (L8a).
CREATE TABLE listing_notices (
  id text PRIMARY KEY,
  entry_id text NOT NULL,
  subject_code text NOT NULL,
  authority text NOT NULL,
  kind text NOT NULL,
  field text NOT NULL,
  recipient_kind text NOT NULL CHECK (recipient_kind IN ('DEPARTMENT', 'EMPLOYER')),
  recipient text NOT NULL,
  notified_on date NOT NULL,
  acknowledged_on date
);
CREATE INDEX listing_notices_recipient_idx ON listing_notices (recipient_kind, recipient);
CREATE INDEX listing_notices_entry_idx ON listing_notices (entry_id);
CREATE INDEX listing_notices_subject_idx ON listing_notices (subject_code);
