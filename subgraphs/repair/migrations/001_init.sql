-- Objections (R1) and credit-repair applications (R7) against list entries.
CREATE TABLE objections (
  id text PRIMARY KEY,
  entry_id text NOT NULL,
  subject_code text NOT NULL,
  grounds text NOT NULL,
  status text NOT NULL CHECK (status IN ('FILED', 'ACCEPTED', 'REFUSED', 'UPHELD', 'REJECTED')),
  filed_on date NOT NULL
);
CREATE INDEX objections_subject_idx ON objections (subject_code);

CREATE TABLE repair_applications (
  id text PRIMARY KEY,
  entry_id text NOT NULL,
  subject_code text NOT NULL,
  status text NOT NULL CHECK (status IN ('APPLIED', 'APPROVED', 'REFUSED')),
  applied_on date NOT NULL
);
CREATE INDEX repair_applications_subject_idx ON repair_applications (subject_code);
