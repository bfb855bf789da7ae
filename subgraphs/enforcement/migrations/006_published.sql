-- A credit check uses, for each caller, only the entries that caller may see (A1, A4, L11): the projection keeps
-- whether an entry is published. Entries projected before: the L11 default at determination (focus unpublished).
ALTER TABLE entries_in_force ADD COLUMN published boolean;
UPDATE entries_in_force SET published = (kind <> 'FOCUS');
ALTER TABLE entries_in_force ALTER COLUMN published SET NOT NULL;
