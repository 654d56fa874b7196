-- What a pipeline is besides its versions: paused, deleted, and since when its schedule counts.
-- Portable SQL, as V1: runs unchanged on H2 2.x and PostgreSQL 12+.
--
-- paused:         a paused pipeline's schedule fires nothing; manual runs still start.
-- deleted_at:     a soft delete: the pipeline leaves the lists and its schedule stops, while its
--                 versions and runs stay readable; saving the name again brings it back.
-- schedule_since: ticks at or before this instant never fire. Set when the pipeline is created,
--                 unpaused or brought back, so neither the paused time nor the deleted time is
--                 caught up (catchup only covers time the server was down).
ALTER TABLE pipelines ADD COLUMN paused BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE pipelines ADD COLUMN deleted_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE pipelines ADD COLUMN schedule_since TIMESTAMP WITH TIME ZONE;
UPDATE pipelines SET schedule_since = created_at;
ALTER TABLE pipelines ALTER COLUMN schedule_since SET NOT NULL;
