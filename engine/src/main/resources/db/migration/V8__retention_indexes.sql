-- Retention (sluice gc) deletes old runs attempt by attempt: each deleted attempts row is checked
-- against the rows that reference it. PostgreSQL does not index referencing columns by itself, so
-- without these two indexes every deleted attempt scanned the whole artifacts and step_cache tables.
-- (H2 already has an index behind each of these foreign keys; these are then a second one, small.)
-- Portable SQL, as V1: runs unchanged on H2 2.x and PostgreSQL 12+.
CREATE INDEX artifacts_attempt_idx ON artifacts (run_id, task_id, attempt);
CREATE INDEX step_cache_attempt_idx ON step_cache (run_id, task_id, attempt);
