-- R9: the subject's declarations (声明) on its own file (entry_id null) or on one of its own entries. Every version is a
-- row, never an overwrite: a replacement marks the version before it REPLACED, a withdrawal marks it WITHDRAWN.
CREATE TABLE declarations (
  id text PRIMARY KEY,
  subject_code text NOT NULL,
  entry_id text,
  version integer NOT NULL CHECK (version >= 1),
  text text NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
  status text NOT NULL CHECK (status IN ('CURRENT', 'REPLACED', 'WITHDRAWN')),
  made_on date NOT NULL,
  replaced_on date,
  withdrawn_on date,
  CHECK ((status = 'REPLACED') = (replaced_on IS NOT NULL)),
  CHECK ((status = 'WITHDRAWN') = (withdrawn_on IS NOT NULL))
);
-- one target (the file, or one entry) numbers its versions in order and has at most one current, whatever runs at once
CREATE UNIQUE INDEX declarations_version_idx ON declarations (subject_code, coalesce(entry_id, ''), version);
CREATE UNIQUE INDEX declarations_one_current_idx ON declarations (subject_code, coalesce(entry_id, '')) WHERE status = 'CURRENT';
-- the current one on each entry (ListEntry.declaration), and an entry's declarations when it is deleted (L8a)
CREATE INDEX declarations_entry_idx ON declarations (entry_id, status);
