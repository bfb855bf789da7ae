-- An entry's history rows are its changes; "event" is the word of the bus between the subgraphs (lib/platform/events).
ALTER TABLE entry_events RENAME TO entry_changes;
ALTER INDEX entry_events_entry_idx RENAME TO entry_changes_entry_idx;
