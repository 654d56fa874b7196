package dev.sluice.engine.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes many ended runs straight into a data dir's embedded database and artifact folder, as
 * {@code sluice run} would have left them, fast (one transaction, batched inserts): for retention
 * tests and measurements. Each run has three steps (prepare, train, report), one attempt each, two
 * log chunks, four events and three outputs: {@code data.csv} the same for every run of a pipeline
 * (so one artifact many runs share), {@code model.bin} and {@code report.txt} its own.
 */
public final class OldRuns {

    public static final List<String> STEPS = List.of("prepare", "train", "report");

    private final Path dataDir;
    private final Connection c;
    private final Dialect dialect;

    private OldRuns(Path dataDir, Connection c, Dialect dialect) {
        this.dataDir = dataDir;
        this.c = c;
        this.dialect = dialect;
    }

    /** A PostgreSQL database (migrated on the way); artifact files go under {@code dataDir/artifacts}. */
    public static OldRuns open(String jdbcUrl, Path dataDir) {
        try {
            Stores.open(jdbcUrl, null).close();
            Connection c = DriverManager.getConnection(jdbcUrl);
            c.setAutoCommit(false);
            return new OldRuns(dataDir, c, Dialect.fromJdbcUrl(jdbcUrl));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Opens (and migrates) the data dir's database; close it when done. */
    public static OldRuns open(Path dataDir) {
        try {
            Stores.open(null, dataDir, Clock.systemUTC()).close();
            Connection c = DriverManager.getConnection(Stores.h2Url(dataDir), "sa", H2Password.of(dataDir.toAbsolutePath().normalize()));
            c.setAutoCommit(false);
            return new OldRuns(dataDir, c, Dialect.H2);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Adds {@code count} runs of {@code pipeline}, the first created at {@code first}, one every
     * {@code every}; artifact files get their run's creation time as their modification time.
     *
     * @param status the state every run ends in (RUNNING: started, not ended)
     * @param bytes  size of each run's own model.bin
     * @return the run ids, oldest first
     */
    public List<String> add(String pipeline, int count, Instant first, Duration every, String status, int bytes) {
        String[] ids = new String[count];
        try (PreparedStatement run = c.prepareStatement("INSERT INTO runs (id, pipeline, version, status, params, logical_date,"
                        + " triggered_by, created_at, started_at, ended_at) VALUES (?, ?, 1, ?, '{}', ?, 'manual', ?, ?, ?)");
                PreparedStatement task = c.prepareStatement("INSERT INTO tasks (run_id, task_id, step_id, position, matrix, status,"
                        + " attempts, retries_used, cached, started_at, ended_at, exit_code) VALUES (?, ?, ?, ?, '{}', ?, 1, 0, FALSE, ?, ?, 0)");
                PreparedStatement attempt = c.prepareStatement("INSERT INTO attempts (run_id, task_id, attempt, status, worker,"
                        + " started_at, ended_at, exit_code, cached, counted) VALUES (?, ?, 1, ?, 'local', ?, ?, 0, FALSE, TRUE)");
                PreparedStatement log = c.prepareStatement("INSERT INTO log_chunks (run_id, task_id, attempt, content) VALUES (?, ?, 1, ?)");
                PreparedStatement event = c.prepareStatement("INSERT INTO run_events (run_id, at, task_id, status, attempt) VALUES (?, ?, ?, ?, 1)");
                PreparedStatement artifact = c.prepareStatement(dialect.insertArtifact());
                PreparedStatement output = c.prepareStatement("INSERT INTO outputs (run_id, task_id, attempt, path, sha256, size) VALUES (?, ?, 1, ?, ?, ?)");
                PreparedStatement metric = c.prepareStatement("INSERT INTO metrics (run_id, task_id, attempt, name, metric_value) VALUES (?, ?, 1, 'loss', ?)")) {
            boolean ended = !status.equals("RUNNING");
            for (int i = 0; i < count; i++) {
                Instant created = first.plus(every.multipliedBy(i));
                Instant end = created.plusSeconds(30);
                String id = pipeline + "-" + created.toEpochMilli() + "-" + i;
                ids[i] = id;
                run.setString(1, id);
                run.setString(2, pipeline);
                run.setString(3, status);
                set(run, 4, created);
                set(run, 5, created);
                set(run, 6, created);
                set(run, 7, ended ? end : null);
                run.addBatch();
                event.setString(1, id);
                set(event, 2, created);
                event.setString(3, null);
                event.setString(4, "RUNNING");
                event.addBatch();
                for (int s = 0; s < STEPS.size(); s++) {
                    String step = STEPS.get(s);
                    String taskStatus = ended ? "SUCCEEDED" : "RUNNING";
                    task.setString(1, id);
                    task.setString(2, step);
                    task.setString(3, step);
                    task.setInt(4, s);
                    task.setString(5, taskStatus);
                    set(task, 6, created);
                    set(task, 7, ended ? end : null);
                    task.addBatch();
                    attempt.setString(1, id);
                    attempt.setString(2, step);
                    attempt.setString(3, taskStatus);
                    set(attempt, 4, created);
                    set(attempt, 5, ended ? end : null);
                    attempt.addBatch();
                    for (int k = 0; k < 2; k++) {
                        log.setString(1, id);
                        log.setString(2, step);
                        log.setString(3, created + " out line " + k + " of " + step + " in " + id + "\n");
                        log.addBatch();
                    }
                    if (ended) {
                        event.setString(1, id);
                        set(event, 2, end);
                        event.setString(3, step);
                        event.setString(4, "SUCCEEDED");
                        event.addBatch();
                    }
                    byte[] content = switch (step) {
                        case "prepare" -> ("shared data of " + pipeline + "\n").repeat(64).getBytes(StandardCharsets.UTF_8);
                        case "train" -> model(id, bytes);
                        default -> ("report of " + id + "\n").getBytes(StandardCharsets.UTF_8);
                    };
                    String path = switch (step) {
                        case "prepare" -> "data.csv";
                        case "train" -> "model.bin";
                        default -> "report.txt";
                    };
                    if (ended || s == 0) {
                        String sha = store(content, created);
                        artifact.setString(1, sha);
                        artifact.setLong(2, content.length);
                        artifact.setString(3, id);
                        artifact.setString(4, step);
                        artifact.setInt(5, 1);
                        set(artifact, 6, end);
                        if (dialect.artifactShaTwice()) artifact.setString(7, sha);
                        artifact.addBatch(); // insert unless present: sees the rows of the batch before it
                        output.setString(1, id);
                        output.setString(2, step);
                        output.setString(3, path);
                        output.setString(4, sha);
                        output.setLong(5, content.length);
                        output.addBatch();
                        metric.setString(1, id);
                        metric.setString(2, step);
                        metric.setDouble(3, 1.0 / (i + 1));
                        metric.addBatch();
                    }
                }
                if (ended) {
                    event.setString(1, id);
                    set(event, 2, end);
                    event.setString(3, null);
                    event.setString(4, status);
                    event.addBatch();
                }
                if (i % 200 == 199) flush(run, task, attempt, artifact, log, event, output, metric);
            }
            flush(run, task, attempt, artifact, log, event, output, metric);
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return List.of(ids);
    }

    /** Runs any SQL (a table another feature would create, say), committed. */
    public void sql(String... statements) {
        try (Statement s = c.createStatement()) {
            for (String sql : statements) s.execute(sql);
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A content stored as the content store would, touched at {@code at}; returns its sha256. */
    public String store(byte[] content, Instant at) {
        try {
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
            Path file = dataDir.resolve("artifacts").resolve(sha.substring(0, 2)).resolve(sha);
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Files.write(file, content);
            }
            Files.setLastModifiedTime(file, FileTime.from(at));
            return sha;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void close() {
        try {
            c.close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] model(String id, int bytes) {
        byte[] b = new byte[bytes];
        byte[] seed = id.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes; i++) b[i] = (byte) (seed[i % seed.length] + i / seed.length);
        return b;
    }

    private static void set(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (t == null) ps.setNull(i, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
        else ps.setObject(i, t.atOffset(ZoneOffset.UTC));
    }

    private static void flush(PreparedStatement... statements) throws SQLException {
        for (PreparedStatement ps : statements) ps.executeBatch();
    }
}
