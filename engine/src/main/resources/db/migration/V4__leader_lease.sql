-- Leadership of a cluster of servers sharing one database: one row per lease name ('scheduler').
-- Portable SQL, as V1: runs unchanged on H2 2.x and PostgreSQL 12+.
--
-- holder:     who holds the lease, an owner string ('server:<host>:<pid>:<start millis>'); NULL when
--             it was released (or never taken).
-- epoch:      the fencing token. It grows by one at every acquisition and never goes back (a release
--             keeps it), so a write stamped with an older epoch can always be told apart and refused.
-- url:        the holder's API URL, so that followers can point clients at the leader.
-- expires_at: set from the DATABASE clock (CURRENT_TIMESTAMP + ttl) by every acquisition and renewal;
--             once it is past, another server may take the lease. Servers never compare it with their
--             own clocks, so clock skew between machines does not matter.
CREATE TABLE leader_lease (
    name        VARCHAR(64)              NOT NULL PRIMARY KEY,
    holder      VARCHAR(255),
    epoch       BIGINT                   NOT NULL,
    url         VARCHAR(1000),
    acquired_at TIMESTAMP WITH TIME ZONE,
    renewed_at  TIMESTAMP WITH TIME ZONE,
    expires_at  TIMESTAMP WITH TIME ZONE
);

INSERT INTO leader_lease (name, holder, epoch) VALUES ('scheduler', NULL, 0);
