-- Metric series, event triggers and alerts (issue 12). Portable SQL, as V1: runs unchanged on H2 2.x
-- and PostgreSQL 12+.

-- Every value an attempt wrote, in order (the metrics table keeps the last value of each name, what
-- expressions and gates see). seq orders the points of one attempt; step is the x-axis (the JSON
-- line's integer step, else the value's position in its series); at is when it was read.
CREATE TABLE metric_points (
    run_id       VARCHAR(128)             NOT NULL,
    task_id      VARCHAR(500)             NOT NULL,
    attempt      INTEGER                  NOT NULL,
    seq          INTEGER                  NOT NULL,
    name         VARCHAR(255)             NOT NULL,
    step         BIGINT                   NOT NULL,
    metric_value DOUBLE PRECISION         NOT NULL,
    at           TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (run_id, task_id, attempt, seq),
    FOREIGN KEY (run_id, task_id, attempt) REFERENCES attempts (run_id, task_id, attempt)
);

-- The experiments table and metric history select metrics by name across a pipeline's runs.
CREATE INDEX metrics_name_idx ON metrics (name, run_id);

-- What started a run, as JSON: {"type": "manual|schedule|model|pipeline|alert|rerun", ...}. Runs from
-- before V7 get their type from triggered_by (cli runs are manual; a schedule's logical_date is
-- added when read).
ALTER TABLE runs ADD COLUMN trigger TEXT;
UPDATE runs SET trigger = '{"type":"schedule"}' WHERE triggered_by = 'schedule';
UPDATE runs SET trigger = '{"type":"manual"}' WHERE trigger IS NULL;
-- The event a run was started for ("pipeline:<run>:<event>", "model:<move id>", "alert:<id>"): an event
-- starts at most one run of a pipeline, ever.
ALTER TABLE runs ADD COLUMN trigger_key VARCHAR(255);
ALTER TABLE runs ADD CONSTRAINT runs_trigger_key_uk UNIQUE (pipeline, trigger_key);
-- TRUE from the commit that ends a run until the commit that evaluated its alerts and fired the
-- triggers on its end (the outbox of run ends: a crash in between leaves it TRUE, and it is done after
-- the restart). Runs that ended before V7 are not handled.
ALTER TABLE runs ADD COLUMN end_pending BOOLEAN DEFAULT FALSE NOT NULL;
CREATE INDEX runs_end_pending_idx ON runs (end_pending, ended_at);

-- How far an event source has been read (the model trigger's id in model_alias_moves).
CREATE TABLE trigger_cursors (
    name     VARCHAR(64) NOT NULL PRIMARY KEY,
    position BIGINT      NOT NULL
);

-- Every alert that fired. alert_index is the alert's position in the pipeline's alerts list; end_event
-- the run_events id of the run's end it was evaluated on (a retried run ends again).
CREATE TABLE alerts (
    id               VARCHAR(64)              NOT NULL PRIMARY KEY,
    pipeline         VARCHAR(64)              NOT NULL,
    run_id           VARCHAR(128)             NOT NULL,
    end_event        BIGINT                   NOT NULL,
    alert_index      INTEGER                  NOT NULL,
    severity         VARCHAR(16)              NOT NULL,
    message          TEXT                     NOT NULL,
    fired_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    trigger_pipeline VARCHAR(64),
    triggered_run_id VARCHAR(128),
    CONSTRAINT alerts_event_uk UNIQUE (run_id, end_event, alert_index),
    FOREIGN KEY (run_id) REFERENCES runs (id)
);

CREATE INDEX alerts_fired_idx ON alerts (fired_at);
CREATE INDEX alerts_pipeline_fired_idx ON alerts (pipeline, fired_at);

-- The webhook outbox: one row per alert and channel. state pending|delivered|failed|disabled;
-- next_at when the next try is due; claimed_until keeps a try in progress from being taken twice.
CREATE TABLE alert_deliveries (
    alert_id      VARCHAR(64)              NOT NULL,
    channel       VARCHAR(64)              NOT NULL,
    state         VARCHAR(16)              NOT NULL,
    attempts      INTEGER                  NOT NULL,
    last_error    TEXT,
    next_at       TIMESTAMP WITH TIME ZONE,
    claimed_until TIMESTAMP WITH TIME ZONE,
    delivered_at  TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (alert_id, channel),
    FOREIGN KEY (alert_id) REFERENCES alerts (id)
);

CREATE INDEX alert_deliveries_due_idx ON alert_deliveries (state, next_at);

-- Channels a receiver answered 410 Gone: nothing is sent to them until an operator re-enables them.
CREATE TABLE disabled_channels (
    channel     VARCHAR(64)              NOT NULL PRIMARY KEY,
    disabled_at TIMESTAMP WITH TIME ZONE NOT NULL,
    reason      TEXT
);
