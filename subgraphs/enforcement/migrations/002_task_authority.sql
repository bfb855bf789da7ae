-- The entry's determining authority travels with the task (it follows every task its entries initiated, A1),
-- so the gateway's row rule reads it here instead of fetching the entry from listings.
ALTER TABLE tasks ADD COLUMN authority text NOT NULL DEFAULT '';
