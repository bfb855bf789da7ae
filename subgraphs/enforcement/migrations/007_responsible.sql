-- L13: the persons who carry an organisation's entry in force (from listings.entry.effective): the measures whose
-- memorandum names them apply to them in credit checks. They go with the entry (exit, E5; deletion, L8a).
CREATE TABLE responsible_in_force (
  entry_id text NOT NULL REFERENCES entries_in_force (entry_id) ON DELETE CASCADE,
  person_code text NOT NULL,
  role text NOT NULL CHECK (role IN ('LEGAL_REPRESENTATIVE', 'NAMED')),
  PRIMARY KEY (entry_id, person_code)
);
CREATE INDEX responsible_in_force_person_idx ON responsible_in_force (person_code);
