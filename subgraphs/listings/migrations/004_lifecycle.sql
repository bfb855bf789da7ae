-- Time-driven rules. effective_on: the day a noticed entry takes effect (L4 publicity, L5 prior notice);
-- held: a red entry in publicity with an objection waits for the authority (L4); late_report: reported more than
-- 10 working days after determination (L1, flagged, not refused).
ALTER TABLE list_entries ADD COLUMN effective_on date;
ALTER TABLE list_entries ADD COLUMN held boolean NOT NULL DEFAULT false;
ALTER TABLE list_entries ADD COLUMN late_report boolean NOT NULL DEFAULT false;
-- L12: an administrative-penalty decision is published within 7 working days; later is flagged.
ALTER TABLE list_entries ADD COLUMN penalty_decided_on date;
ALTER TABLE list_entries ADD COLUMN late_publication boolean NOT NULL DEFAULT false;
CREATE INDEX list_entries_due_idx ON list_entries (status, effective_on, valid_until);
