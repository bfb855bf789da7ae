-- Who read a subject, newest first, without reading all of its records (A2: a subject sees who read its file).
-- The GIN index on query_log.subjects finds every record naming a subject but cannot return them in seq order, so a
-- subject read a million times loaded a million rows to show the newest 100. This table holds one row per
-- (subject, record), written in the same statement as the record (gateway/audit/queryLog.ts); its primary key
-- answers "the newest N of a subject" by a backward index scan that stops after N. It replaces the GIN index, which
-- no read uses any more and every append paid for (the index goes first: it has this table's name).
DROP INDEX query_log_subjects;

CREATE TABLE query_log_subjects (
  subject text NOT NULL,
  seq bigint NOT NULL,
  PRIMARY KEY (subject, seq)
);

INSERT INTO query_log_subjects (subject, seq)
  SELECT DISTINCT s.subject, q.seq FROM query_log q, unnest(q.subjects) AS s(subject);

-- Append-only like the log itself: a row deleted here would hide a read from the subject.
CREATE TRIGGER query_log_subjects_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON query_log_subjects
  FOR EACH STATEMENT EXECUTE FUNCTION query_log_refuse_change();
