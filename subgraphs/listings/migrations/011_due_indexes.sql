-- What time makes due (L4, L5, L8c, L9c), found without reading every entry. Each index holds only the entries that
-- can still fall due, and answers its condition in order, so the daily advance reads a page of the due entries
-- (store.ts dueOn) however many entries have ever been listed; a scan of all of them took seconds at ten million.
CREATE INDEX list_entries_notice_due_idx ON list_entries (effective_on, id) WHERE status = 'NOTICE';
CREATE INDEX list_entries_validity_due_idx ON list_entries (valid_until, id) WHERE status <> 'EXITED';
