-- L14: a listing that may not be published is notified, instead, to the subject's employer (a registered
-- organisation) or competent department; the recipient goes with the entry (L8a).
CREATE TABLE entry_recipients (
  entry_id text PRIMARY KEY REFERENCES list_entries (id) ON DELETE CASCADE,
  recipient_kind text NOT NULL CHECK (recipient_kind IN ('DEPARTMENT', 'EMPLOYER')),
  recipient text NOT NULL
);
