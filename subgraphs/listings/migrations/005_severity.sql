-- Publication periods by severity (NDRC order 2025 No. 36): the maximum ends publication by itself, the minimum
-- opens repair (R7). repairable_from: an entry repairable only after a date (R8).
ALTER TABLE list_entries ADD COLUMN severity text CHECK (severity IN ('MINOR', 'GENERAL', 'SERIOUS'));
ALTER TABLE list_entries ADD COLUMN repairable_from date;
UPDATE list_entries SET severity = CASE kind WHEN 'BLACK' THEN 'SERIOUS' WHEN 'FOCUS' THEN 'GENERAL' END;
