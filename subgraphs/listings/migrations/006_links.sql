-- Links between entries are columns, not prose: `ended_by` is the black or focus entry that superseded an entry
-- (L2, L7, L9b), `follows` the black entry whose exit put the subject on this focus entry (L8). R2 restores what a
-- wrongful listing ended, and deletes what followed it, by these columns. Today's links move from the exit reasons
-- and the history rows that held them. Checked at commit: one transaction may write an entry before the one it names.
ALTER TABLE list_entries ADD COLUMN ended_by text REFERENCES list_entries (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE list_entries ADD COLUMN follows text REFERENCES list_entries (id) DEFERRABLE INITIALLY DEFERRED;
UPDATE list_entries e SET follows = v.data->>'from' FROM entry_events v
  WHERE v.entry_id = e.id AND v.action = 'DETERMINED' AND v.data->>'from' IS NOT NULL
    AND EXISTS (SELECT 1 FROM list_entries b WHERE b.id = v.data->>'from');
UPDATE list_entries e SET ended_by = b.id FROM list_entries b
  WHERE e.exit_way = 'SUPERSEDED' AND b.id <> e.id AND strpos(e.exit_reason, b.id) > 0;
CREATE INDEX list_entries_ended_by_idx ON list_entries (ended_by) WHERE ended_by IS NOT NULL;
CREATE INDEX list_entries_follows_idx ON list_entries (follows) WHERE follows IS NOT NULL;
