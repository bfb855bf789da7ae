-- The determining authority of the entry an objection or application concerns: it decides them (R1, R7),
-- and the gateway's row rules read it here instead of fetching the entry from listings.
ALTER TABLE objections ADD COLUMN authority text NOT NULL DEFAULT '';
ALTER TABLE repair_applications ADD COLUMN authority text NOT NULL DEFAULT '';
