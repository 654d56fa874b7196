package dev.sluice.worker.app;

import dev.sluice.worker.artifact.S3Location;
import dev.sluice.worker.artifact.S3Settings;
import dev.sluice.worker.cluster.ClusterOptions;
import dev.sluice.worker.cluster.ClusterTls;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code sluice-worker}: joins a Sluice cluster and runs the steps the leader dispatches to it. */
@Command(name = "sluice-worker", mixinStandardHelpOptions = true, version = "Sluice worker 0.1.0", sortOptions = false,
        description = "Joins a Sluice cluster and runs the steps the leader engine hands it.",
        footer = {"", "The join token is read from --token-file, else from the SLUICE_JOIN_TOKEN variable.",
                "SIGTERM stops taking work, lets running steps finish (up to --grace), then kills them and reports.",
                "Exit codes: 0 stopped, 2 invalid input or refused join token, 3 could not join or run."})
public final class WorkerMain implements Callable<Integer> {

    static final int INVALID = 2;
    static final int ERROR = 3;

    @Option(names = "--cds-warm-up", hidden = true,
            description = "Start and stop a cluster of one, loading the classes a worker needs (for a CDS archive).")
    boolean warmUp;

    @Option(names = "--join", split = ",", paramLabel = "HOST:PORT",
            description = "Required: cluster members to join (the engine's --cluster-port, default 5701).")
    List<String> join;

    @Option(names = "--slots", paramLabel = "N", description = "Steps run at once (default: the number of cores).")
    Integer slots;

    @Option(names = "--labels", split = ",", paramLabel = "LABEL", description = "What steps may ask for, e.g. gpu,big-mem.")
    List<String> labels = new ArrayList<>();

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Content store and attempt folders (default ~/.sluice/worker).")
    Path workDir;

    @Option(names = "--artifacts", paramLabel = "s3://BUCKET/PREFIX",
            description = {"The engine's S3-compatible artifact store: inputs are read from and outputs written to it directly "
                    + "instead of through the engine (endpoint, region, credentials from the AWS settings: AWS_ENDPOINT_URL, "
                    + "AWS_REGION, AWS_ACCESS_KEY_ID, AWS_PROFILE...; SLUICE_S3_PATH_STYLE). Default: $SLUICE_ARTIFACTS when it is s3://..., else none.",
                    "The work dir's store is then a verified cache. See docs/artifacts.md."})
    String artifacts;

    @Option(names = "--name", description = "Shown in logs and GET /api/cluster (default HOSTNAME-PID).")
    String name;

    @Option(names = "--cluster-name", defaultValue = ClusterOptions.DEFAULT_CLUSTER_NAME, description = "Default: ${DEFAULT-VALUE}.")
    String clusterName;

    @Option(names = "--cluster-port", defaultValue = "5702", paramLabel = "PORT",
            description = "This member's Hazelcast port, or the next free one; 0 for any (default ${DEFAULT-VALUE}).")
    int clusterPort;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "This machine's address for cluster traffic (default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--token-file", paramLabel = "FILE", description = "File holding the cluster's join token.")
    Path tokenFile;

    @Option(names = "--grace", defaultValue = "30s", paramLabel = "DURATION",
            description = "How long running steps may finish after SIGTERM (default ${DEFAULT-VALUE}).")
    String grace;

    @Option(names = "--cluster-tls", description = "Mutual TLS on the event bus (needs the four options below).")
    boolean clusterTls;

    @Option(names = "--keystore", paramLabel = "FILE", description = "This member's key and certificate (.p12 or .jks).")
    Path keystore;

    @Option(names = "--keystore-password-file", paramLabel = "FILE")
    Path keystorePasswordFile;

    @Option(names = "--truststore", paramLabel = "FILE", description = "Certificates of the members to trust (.p12 or .jks).")
    Path truststore;

    @Option(names = "--truststore-password-file", paramLabel = "FILE")
    Path truststorePasswordFile;

    private final Map<String, String> env;
    private final PrintWriter out;

    WorkerMain(Map<String, String> env, PrintWriter out) {
        this.env = env;
        this.out = out;
    }

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "dev/sluice/worker/app/logback-worker.xml");
        }
        // Hazelcast logs a few lines before it reads its Config: through SLF4J too
        System.setProperty("hazelcast.logging.type", "slf4j");
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.getenv(), args));
    }

    /** Runs the command line; returns the exit code (the engine's {@code sluice worker} can call this too). */
    public static int execute(PrintWriter out, PrintWriter err, Map<String, String> env, String... args) {
        CommandLine cl = new CommandLine(new WorkerMain(env, out));
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("sluice-worker: " + ex.getMessage());
            err.println("Try 'sluice-worker --help'.");
            return INVALID;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof IllegalArgumentException) {
                err.println("sluice-worker: " + ex.getMessage());
                return INVALID;
            }
            err.println("sluice-worker: " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
            return ERROR;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        if (warmUp) {
            WorkerProcess.warmUp();
            return 0;
        }
        if (join == null || join.isEmpty()) {
            throw new IllegalArgumentException("--join HOST:PORT is required (the engine's cluster address)");
        }
        long pid = ProcessHandle.current().pid();
        String workerName = name != null ? name : hostname() + "-" + pid;
        int workerSlots = slots != null ? slots : Runtime.getRuntime().availableProcessors();
        if (workerSlots < 1) {
            throw new IllegalArgumentException("--slots must be at least 1");
        }
        Path dir = workDir != null ? workDir : Path.of(System.getProperty("user.home"), ".sluice", "worker");
        ClusterOptions cluster = new ClusterOptions(clusterName, host, clusterPort, join, true, tls());
        WorkerProcess.Config config = new WorkerProcess.Config(workerName, workerSlots, List.copyOf(labels), dir.toAbsolutePath(),
                cluster, token(), parseDuration(grace), pid, artifacts());
        return new WorkerProcess(config, out, env).run();
    }

    /** {@code --artifacts}, else an {@code s3://} {@code $SLUICE_ARTIFACTS} (a folder there is the server's business: ignored). */
    private String artifacts() {
        String spec;
        if (artifacts != null) {
            if (!S3Location.looksLike(artifacts)) {
                throw new IllegalArgumentException("--artifacts " + artifacts + ": a worker shares only an object store (s3://bucket/prefix)");
            }
            spec = artifacts.strip();
        } else {
            String fromEnv = env.get("SLUICE_ARTIFACTS");
            spec = S3Location.looksLike(fromEnv) ? fromEnv.strip() : null;
        }
        if (spec != null) {
            // before anything is created: a wrong location or setting is a usage error
            S3Location.parse(spec);
            S3Settings.fromEnvironment(env);
        }
        return spec;
    }

    private Optional<String> token() throws IOException {
        if (tokenFile != null) {
            return Optional.of(readSecret(tokenFile, "--token-file"));
        }
        String fromEnv = env.get("SLUICE_JOIN_TOKEN");
        return fromEnv == null || fromEnv.isBlank() ? Optional.empty() : Optional.of(fromEnv.strip());
    }

    private Optional<ClusterTls> tls() throws IOException {
        if (!clusterTls) {
            if (keystore != null || truststore != null) {
                throw new IllegalArgumentException("--keystore and --truststore need --cluster-tls");
            }
            return Optional.empty();
        }
        if (keystore == null || keystorePasswordFile == null || truststore == null || truststorePasswordFile == null) {
            throw new IllegalArgumentException("--cluster-tls needs --keystore, --keystore-password-file, --truststore and "
                    + "--truststore-password-file");
        }
        for (Path store : List.of(keystore, truststore)) {
            if (!Files.isReadable(store)) {
                throw new IllegalArgumentException("cannot read " + store);
            }
        }
        return Optional.of(new ClusterTls(keystore.toAbsolutePath(), readSecret(keystorePasswordFile, "--keystore-password-file"),
                truststore.toAbsolutePath(), readSecret(truststorePasswordFile, "--truststore-password-file")));
    }

    private static String readSecret(Path file, String option) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(option + ": cannot read " + file);
        }
        String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (secret.isEmpty()) {
            throw new IllegalArgumentException(option + ": " + file + " is empty");
        }
        return secret;
    }

    /** {@code 30s}, {@code 2m}, {@code 500ms}, {@code 1h}, or ISO-8601 ({@code PT30S}). */
    static Duration parseDuration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt")) return Duration.parse(t.toUpperCase(Locale.ROOT));
            if (t.endsWith("ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            if (t.endsWith("s")) return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            if (t.endsWith("m")) return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            if (t.endsWith("h")) return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
        } catch (NumberFormatException | DateTimeParseException e) {
            // fall through
        }
        throw new IllegalArgumentException("not a duration: '" + text + "' (e.g. 30s, 2m)");
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "worker";
        }
    }
}
