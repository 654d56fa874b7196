package dev.sluice.engine.app;

import dev.sluice.engine.api.AllowedHosts;
import dev.sluice.engine.api.ApiContext;
import dev.sluice.engine.api.BearerAuth;
import dev.sluice.engine.api.RunSignals;
import dev.sluice.engine.leader.LeaderElection;
import dev.sluice.engine.alert.Channels;
import dev.sluice.engine.metrics.EngineMetrics;
import dev.sluice.engine.pipeline.Durations;
import dev.sluice.engine.retention.GarbageCollector;
import dev.sluice.engine.retention.RetentionService;
import dev.sluice.engine.scheduler.Owner;
import dev.sluice.engine.scheduler.RunListener;
import dev.sluice.engine.scheduler.LocalDispatcher;
import dev.sluice.engine.server.PipelineFolder;
import dev.sluice.engine.server.Server;
import dev.sluice.engine.store.Fence;
import dev.sluice.engine.store.LeaderLease;
import dev.sluice.engine.store.RetentionPolicy;
import dev.sluice.worker.cluster.ClusterOptions;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Serve the REST API and the designer, and run pipelines on the embedded worker.",
                "Loads every *.yaml of the pipelines folder as a pipeline version and watches it for changes;",
                "fires pipeline schedules; stops on Ctrl-C or SIGTERM."})
final class ServerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", description = "TCP port (default ${DEFAULT-VALUE}; 0 for any free one).")
    int port = 8080;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "Address to listen on (default ${DEFAULT-VALUE}); any other than loopback needs a token.")
    String bind = "127.0.0.1";

    @Option(names = "--allowed-hosts", paramLabel = "NAME[,NAME...]", split = ",",
            description = {"Host names browsers may reach the server by, besides localhost, IP addresses and --bind "
                    + "(e.g. sluice.example.com when a proxy or DNS name points here); '*' allows any.",
                    "Requests naming another host get 421: a web page rebound to this address cannot use the API."})
    List<String> allowedHosts = List.of();

    @Option(names = "--pipelines", paramLabel = "DIR", description = "Folder of pipeline files to load (default: ./pipelines when present).")
    Path pipelines;

    @Option(names = "--slots", paramLabel = "N", description = "Steps run at the same time (default: the number of cores, ${DEFAULT-VALUE}).")
    int slots = Runtime.getRuntime().availableProcessors();

    @Option(names = "--grace", paramLabel = "DURATION", description = {"On Ctrl-C or SIGTERM, how long running steps may go on before they "
            + "are killed (default ${DEFAULT-VALUE}).", "Killed steps are recorded as interrupted; the next server start runs them again."})
    String grace = "30s";

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding the token every API call needs (as Authorization: Bearer TOKEN); default: $SLUICE_TOKEN, else none.")
    Path tokenFile;

    @Option(names = "--labels", paramLabel = "LABEL[,LABEL...]", split = ",",
            description = "Labels of the embedded worker: steps with worker.labels run here only when it carries them all.")
    List<String> labels = List.of();

    @Option(names = "--channels", paramLabel = "FILE",
            description = "Alert channels: a YAML map NAME: {url: URL, secret_file: PATH} (http/https; never this server).")
    Path channelsFile;

    @Option(names = "--no-local-worker", description = "Run no steps in this process: only on the cluster's workers.")
    boolean noLocalWorker;

    @Option(names = "--retention", paramLabel = "AGE", description = {"Delete runs that ended more than AGE ago (30d, 12h), "
            + "with their logs and the artifact files nothing kept needs, once an hour (as sluice gc --older-than AGE)."})
    String retention;

    @Option(names = "--keep-runs", paramLabel = "N", description = {"Delete ended runs beyond the N newest of each pipeline, once an hour "
            + "(with --retention: only those older than it too)."})
    Integer keepRuns;

    @Option(names = "--max-active-runs", paramLabel = "N", description = {"Runs active at once at most (default ${DEFAULT-VALUE}); "
            + "further runs wait QUEUED, oldest first, as runs over their pipeline's concurrency do.",
            "A waiting run is kept as its id only, its records read when it starts: a backlog of thousands of queued runs takes little memory and does not slow scheduling."})
    int maxActiveRuns = DEFAULT_MAX_ACTIVE_RUNS;

    static final int DEFAULT_MAX_ACTIVE_RUNS = 256;

    /** How often the server's retention runs, and how long after the start it first does. */
    static final Duration RETENTION_EVERY = Duration.ofHours(1);
    static final Duration RETENTION_FIRST = Duration.ofMinutes(1);

    @Mixin
    ClusterOptionsMixin cluster;

    @Mixin
    StoreOptions storeOptions;

    /** How often the pipelines folder is looked at. */
    static final Duration WATCH_EVERY = Duration.ofSeconds(1);

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (slots < 1) throw new IllegalArgumentException("--slots must be at least 1");
        if (maxActiveRuns < 1) throw new IllegalArgumentException("--max-active-runs must be at least 1");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be from 0 to 65535");
        Optional<String> token = BearerAuth.load(tokenFile, System.getenv("SLUICE_TOKEN"));
        requireTokenOffLoopback(bind, token.isPresent());
        if (tokenFile != null && BearerAuth.readableByOthers(tokenFile)) {
            err.printf("sluice server: warning: %s can be read by other users (chmod 600 %s)%n", tokenFile, tokenFile);
        }
        Duration graceDuration;
        try {
            graceDuration = Durations.parse(grace);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--grace: " + e.getMessage() + " (e.g. 30s or 2m)");
        }
        RetentionPolicy retentionPolicy = retention == null && keepRuns == null ? null
                : new RetentionPolicy(retention == null ? null : age("--retention", retention), keepRuns, RetentionPolicy.DEFAULT_GRACE);
        Path folder = pipelines != null ? pipelines : Files.isDirectory(Path.of("pipelines")) ? Path.of("pipelines") : null;
        if (folder != null && !Files.isDirectory(folder)) throw new IllegalArgumentException("--pipelines " + folder + " is not a folder");
        if (channelsFile != null) Channels.load(channelsFile, port); // refused before anything starts
        // from the start: a SIGTERM while the store opens must not cut a migration short
        CountDownLatch stop = new CountDownLatch(1);
        Signals.onInterrupt(stop::countDown, () -> Runtime.getRuntime().halt(Main.CANCELLED));
        // the scheduler's and cron's commits are refused unless this server holds the leader lease
        AtomicReference<LeaderElection> election = new AtomicReference<>();
        Fence fence = () -> election.get() == null ? Optional.empty() : election.get().fence().token();
        // metrics close last: the scheduler, stopping with the engine, may still tell them of changes
        try (EngineMetrics metrics = new EngineMetrics(Clock.systemUTC()); LocalEngine engine = LocalEngine.open(storeOptions);
                PipelineFolder files = folder == null ? null : new PipelineFolder(engine.store, folder)) {
            if (files != null) {
                int loaded = files.scan().size();
                err.printf("loaded %d pipeline(s) from %s (watching it for changes)%n", loaded, folder);
            }
            Owner owner = Owner.self("server");
            RunSignals signals = new RunSignals();
            Path baseDir = folder != null ? folder.toAbsolutePath().normalize() : engine.dataDir;
            LocalDispatcher local = noLocalWorker ? null : engine.localWorker(slots, Set.copyOf(labels), owner);
            Optional<ClusterOptions> clusterOptions = cluster.options();
            clusterOptions.ifPresent(o -> requireReachableApi(bind, o.host()));
            try (ServerNode node = new ServerNode(engine.store, fence, engine.artifacts, baseDir, engine.clock, owner,
                    RunListener.all(signals, metrics), local, cluster.joinToken())) {
                ApiContext api = new ApiContext(engine.store, node, engine.artifacts, baseDir, engine.clock, owner.toString(), signals)
                        .withPipelinesChanged(node::pipelinesChanged).withToken(token).withMetrics(metrics).withCluster(node);
                try (Server server = new Server(api, bind, port, engine.dataDir.resolve("tmp").resolve("vertx"), clusterOptions,
                        hosts(bind, clusterOptions.map(ClusterOptions::host), allowedHosts))) {
                    int bound = server.start();
                    String host = bind.contains(":") ? "[" + bind + "]" : bind;
                    String url = "http://" + (bind.equals("0.0.0.0") || bind.equals("::") ? cluster.host : host) + ":" + bound;
                    node.attach(server.vertx(), clusterOptions.isPresent(), url, owner.host() + ":" + bound);
                    Channels channels = channelsFile == null ? Channels.none() : Channels.load(channelsFile, bound);
                    node.monitoring(channels, a -> metrics.alertFired(a.pipeline(), a.severity()));
                    node.maxActiveRuns(maxActiveRuns);
                    if (channelsFile != null) err.printf("alert channels: %s%n", String.join(", ", new java.util.TreeSet<>(channels.names())));
                    LeaderElection leader = node.election(engine.store.lease(LeaderLease.SCHEDULER), url);
                    election.set(leader);
                    leader.start();
                    RetentionService retentionService = retentionPolicy == null ? null
                            : new RetentionService(new GarbageCollector(engine.store, GarbageCollector.folderOf(engine.artifacts), engine.clock),
                                    retentionPolicy, node::leader).start(RETENTION_FIRST, RETENTION_EVERY);
                    if (files != null) files.watch(WATCH_EVERY, node::pipelinesChanged);
                    out.printf("http://%s:%d/%n", host, bound);
                    out.flush();
                    err.printf("sluice server: listening on http://%s:%d/ (data in %s%s, %s, %s%s; Ctrl-C stops)%n", host, bound,
                            engine.dataDir, engine.artifacts.shared() ? ", artifacts in " + engine.artifacts.location() : "", local == null ? "no local worker" : slots + " local slots",
                            token.isPresent() ? "API token required" : "no API token",
                            clusterOptions.map(o -> ", cluster " + o.clusterName() + " on " + o.host() + ":" + o.port()).orElse(""));
                    err.flush();
                    stop.await();
                    err.println("sluice server: stopping: no new work; running steps get " + grace + " to finish");
                    err.flush();
                    if (retentionService != null) retentionService.close();
                    int killed = node.drain(graceDuration);
                    if (killed > 0) err.printf("sluice server: %d step(s) killed and recorded as interrupted; the next start runs them again%n", killed);
                    // hand over at once: another server leads within a second instead of after the lease's ttl
                    leader.close();
                    node.close();
                }
            }
            err.println("sluice server: stopped");
            err.flush();
        }
        return 0;
    }

    /** The names browsers may use: --bind's and the cluster's addresses (workers' API URL) and --allowed-hosts. */
    static AllowedHosts hosts(String bind, Optional<String> clusterHost, List<String> allowed) {
        List<String> names = new java.util.ArrayList<>();
        names.add(bind);
        clusterHost.ifPresent(names::add);
        names.addAll(allowed);
        return AllowedHosts.of(names);
    }

    /**
     * Workers on other machines fetch inputs from and upload outputs to the API: a cluster open to
     * other machines with an API on loopback would hang every step with outputs.
     */
    static void requireReachableApi(String bind, String clusterHost) {
        if (!isLoopback(clusterHost, "--cluster-host") && isLoopback(bind, "--bind")) {
            throw new IllegalArgumentException("--cluster-host " + clusterHost + " lets workers on other machines join, but they fetch "
                    + "inputs from and upload outputs to the API, which listens on " + bind + " only: give --bind " + clusterHost
                    + " (or 0.0.0.0) and a token");
        }
    }

    private static boolean isLoopback(String address, String option) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(option + " " + address + ": unknown address");
        }
    }

    /** Without a token the API must not be reachable from other machines. */
    static void requireTokenOffLoopback(String address, boolean hasToken) {
        InetAddress a;
        try {
            a = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--bind " + address + ": unknown address");
        }
        if (!a.isLoopbackAddress() && !hasToken) {
            throw new IllegalArgumentException("--bind " + address + " lets other machines reach the API: give it a token "
                    + "(--token-file FILE or SLUICE_TOKEN), or bind 127.0.0.1");
        }
    }

    private static Duration age(String option, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage() + " (e.g. 30d or 12h)");
        }
    }
}
