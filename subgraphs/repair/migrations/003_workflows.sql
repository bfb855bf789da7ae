-- Phase two as workflows (R1–R8). Repair keeps a projection of the entries listings tells it about
-- (listings.entry.determined / effective / exited / deleted): who may object or apply, who decides, when.
CREATE TABLE entries (
  entry_id text PRIMARY KEY,
  subject_code text NOT NULL,
  region text,
  kind text NOT NULL,
  field text NOT NULL,
  authority text NOT NULL,
  status text NOT NULL CHECK (status IN ('NOTICE', 'EFFECTIVE', 'EXITED')),
  determined_on date NOT NULL,
  valid_until date,
  severity text CHECK (severity IN ('MINOR', 'GENERAL', 'SERIOUS')),
  repairable boolean NOT NULL,
  repairable_from date,
  exit_way text
);
CREATE INDEX entries_subject_idx ON entries (subject_code);

-- R1: each step's deadline is stored when the step starts (the terms in force then), in working days.
ALTER TABLE objections DROP CONSTRAINT objections_status_check;
ALTER TABLE objections ADD CONSTRAINT objections_status_check CHECK (status IN ('FILED', 'ACCEPTED', 'REFUSED', 'VERIFIED', 'UPHELD', 'REJECTED'));
-- entry and grounds are null once an upheld objection deleted the entry (L8a: the grounds restate it)
ALTER TABLE objections ALTER COLUMN entry_id DROP NOT NULL;
ALTER TABLE objections ALTER COLUMN grounds DROP NOT NULL;
ALTER TABLE objections ADD COLUMN kind text NOT NULL DEFAULT 'OBJECTION' CHECK (kind IN ('OBJECTION', 'REPORT', 'RECONSIDERATION'));
ALTER TABLE objections ADD COLUMN filed_by text NOT NULL DEFAULT '';
ALTER TABLE objections ADD COLUMN evidence text;
ALTER TABLE objections ADD COLUMN due_by date;
ALTER TABLE objections ADD COLUMN extended boolean NOT NULL DEFAULT false;
ALTER TABLE objections ADD COLUMN accepted_on date;
ALTER TABLE objections ADD COLUMN verified_on date;
ALTER TABLE objections ADD COLUMN findings text;
ALTER TABLE objections ADD COLUMN decided_on date;
ALTER TABLE objections ADD COLUMN reason text;
ALTER TABLE objections ADD COLUMN apology text;
ALTER TABLE objections ADD COLUMN clarification text;
ALTER TABLE objections ADD COLUMN reconsiders text REFERENCES objections (id);
CREATE UNIQUE INDEX objections_one_reconsideration_idx ON objections (reconsiders);
CREATE INDEX objections_authority_idx ON objections (authority, status);
CREATE INDEX objections_entry_idx ON objections (entry_id);

-- R7: the department decides within its limit; the platform answers within its own.
ALTER TABLE repair_applications ADD COLUMN corrected text;
ALTER TABLE repair_applications ADD COLUMN obligations_met text;
ALTER TABLE repair_applications ADD COLUMN due_by date;
ALTER TABLE repair_applications ADD COLUMN answer_by date;
ALTER TABLE repair_applications ADD COLUMN decided_on date;
ALTER TABLE repair_applications ADD COLUMN reason text;
CREATE INDEX repair_applications_entry_idx ON repair_applications (entry_id);
CREATE INDEX repair_applications_authority_idx ON repair_applications (authority, status);
CREATE UNIQUE INDEX repair_applications_one_open_idx ON repair_applications (entry_id) WHERE status = 'APPLIED';

-- R3: rectification requirements on an entry; overdue, one interview of the principal (prompt: focus, warning: black).
CREATE TABLE rectifications (
  id text PRIMARY KEY,
  entry_id text NOT NULL,
  subject_code text NOT NULL,
  authority text NOT NULL,
  requirements text NOT NULL,
  deadline date NOT NULL,
  required_on date NOT NULL,
  rectified_on date
);
CREATE INDEX rectifications_subject_idx ON rectifications (subject_code);
CREATE INDEX rectifications_overdue_idx ON rectifications (deadline) WHERE rectified_on IS NULL;

CREATE TABLE interviews (
  id text PRIMARY KEY,
  rectification_id text NOT NULL UNIQUE REFERENCES rectifications (id),
  entry_id text NOT NULL,
  subject_code text NOT NULL,
  authority text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('PROMPT', 'WARNING')),
  scheduled_on date NOT NULL,
  outcome text CHECK (outcome IN ('HELD', 'REFUSED', 'NOT_ATTENDED')),
  record text,
  recorded_on date
);
CREATE INDEX interviews_subject_idx ON interviews (subject_code);

-- R4–R6: the subject's own records; they count for an entry when made on or after its determination.
CREATE TABLE commitments (
  id text PRIMARY KEY,
  subject_code text NOT NULL,
  text text NOT NULL,
  made_on date NOT NULL
);
CREATE INDEX commitments_subject_idx ON commitments (subject_code);

CREATE TABLE trainings (
  id text PRIMARY KEY,
  subject_code text NOT NULL,
  provider text NOT NULL,
  certificate text NOT NULL,
  hours numeric(4, 1) NOT NULL CHECK (hours >= 3),
  completed_on date NOT NULL,
  UNIQUE (provider, certificate)
);
CREATE INDEX trainings_subject_idx ON trainings (subject_code);

CREATE TABLE credit_reports (
  id text PRIMARY KEY,
  subject_code text NOT NULL,
  agency text NOT NULL,
  report_number text NOT NULL,
  issued_on date NOT NULL,
  UNIQUE (agency, report_number)
);
CREATE INDEX credit_reports_subject_idx ON credit_reports (subject_code);
