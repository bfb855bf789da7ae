-- L13: the persons who carry an organisation's black or focus entry in their personal files (its legal representative,
-- the persons the authority names): a link to the entry, not a copy, so it ends with the entry and goes with it (L8a).
CREATE TABLE responsible_persons (
  entry_id text NOT NULL REFERENCES list_entries (id) ON DELETE CASCADE,
  person_code text NOT NULL REFERENCES subjects (code),
  role text NOT NULL CHECK (role IN ('LEGAL_REPRESENTATIVE', 'NAMED')),
  PRIMARY KEY (entry_id, person_code)
);
CREATE INDEX responsible_persons_person_idx ON responsible_persons (person_code);
