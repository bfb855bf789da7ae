-- R2, L8a: an objection still open when its entry is deleted (another one was upheld) is closed, with nothing left to decide
ALTER TABLE objections DROP CONSTRAINT objections_status_check;
ALTER TABLE objections ADD CONSTRAINT objections_status_check CHECK (status IN ('FILED', 'ACCEPTED', 'REFUSED', 'VERIFIED', 'UPHELD', 'REJECTED', 'CLOSED'));
-- R1: why the decision limit was extended, kept with the objection
ALTER TABLE objections ADD COLUMN extension_reason text;
