-- rule L8: after a black exit by repair, expiry or change of standard, the subject is on focus for a period the
-- original authority set at determination (months).
ALTER TABLE list_entries ADD COLUMN focus_months integer NOT NULL DEFAULT 12 CHECK (focus_months BETWEEN 1 AND 60);
