-- Where the designer draws each step of a saved pipeline: kept here, not in the YAML, so that moving
-- a node never changes the pipeline's text (nor makes a new version).
-- Portable SQL, as V1: runs unchanged on H2 2.x and PostgreSQL 12+.
--
-- step_id: a step id as the designer knows it; positions of steps that are gone are harmless and are
--          replaced by the next save of the pipeline's positions (a save replaces them all).
-- x, y:    canvas coordinates of the node's top-left corner.
CREATE TABLE designer_positions (
    pipeline VARCHAR(64)      NOT NULL,
    step_id  VARCHAR(64)      NOT NULL,
    x        DOUBLE PRECISION NOT NULL,
    y        DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (pipeline, step_id),
    FOREIGN KEY (pipeline) REFERENCES pipelines (name)
);
