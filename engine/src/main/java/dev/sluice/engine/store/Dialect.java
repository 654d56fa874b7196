package dev.sluice.engine.store;

/**
 * The few statements that differ between H2 and PostgreSQL: both lack a portable "insert unless
 * present" and "upsert" (H2 has no {@code ON CONFLICT}, PostgreSQL 14 no {@code MERGE}), and adding
 * an interval to a timestamp.
 */
enum Dialect {

    /** H2 2.x in its default mode. */
    H2(
            "INSERT INTO artifacts (sha256, size, run_id, task_id, attempt, created_at)"
                    + " SELECT ?, ?, ?, ?, ?, ? WHERE NOT EXISTS"
                    + " (SELECT 1 FROM artifacts WHERE sha256 = ?)",
            "MERGE INTO step_cache (cache_key, run_id, task_id, attempt, created_at) KEY (cache_key)"
                    + " VALUES (?, ?, ?, ?, ?)"),

    /** PostgreSQL 12 or newer. */
    POSTGRES(
            "INSERT INTO artifacts (sha256, size, run_id, task_id, attempt, created_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
            "INSERT INTO step_cache (cache_key, run_id, task_id, attempt, created_at) VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT (cache_key) DO UPDATE SET run_id = EXCLUDED.run_id,"
                    + " task_id = EXCLUDED.task_id, attempt = EXCLUDED.attempt, created_at = EXCLUDED.created_at");

    private final String insertArtifact;
    private final String upsertCache;

    Dialect(String insertArtifact, String upsertCache) {
        this.insertArtifact = insertArtifact;
        this.upsertCache = upsertCache;
    }

    /**
     * Inserts an artifact unless its sha256 is known. Parameters: sha256, size, run, task, attempt,
     * created_at, and for H2 the sha256 again.
     */
    String insertArtifact() {
        return insertArtifact;
    }

    /** Whether {@link #insertArtifact} takes the sha256 a second time, as its last parameter. */
    boolean artifactShaTwice() {
        return this == H2;
    }

    /**
     * Whether a concurrent insert of the same artifact can still fail with a unique violation, to be
     * ignored statement by statement (H2 rolls back only the failed statement, not the transaction).
     */
    boolean artifactRaceRaisesDuplicate() {
        return this == H2;
    }

    /** Points a cache key at an attempt, replacing an earlier one: key, run, task, attempt, created_at. */
    String upsertCache() {
        return upsertCache;
    }

    /**
     * The database's current time plus a number of milliseconds, given as the expression's one
     * parameter (a long). {@code CURRENT_TIMESTAMP} is the start of the transaction in both.
     */
    String nowPlusMillis() {
        return this == H2
                ? "DATEADD(MILLISECOND, CAST(? AS BIGINT), CURRENT_TIMESTAMP)"
                : "CURRENT_TIMESTAMP + CAST(? AS BIGINT) * INTERVAL '1 millisecond'";
    }

    static Dialect fromJdbcUrl(String url) {
        if (url == null) {
            throw new IllegalArgumentException("the pool needs a JDBC URL (jdbc:h2: or jdbc:postgresql:)");
        }
        if (url.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRES;
        }
        throw new IllegalArgumentException("unsupported database URL: " + Jdbc.redact(url));
    }
}
