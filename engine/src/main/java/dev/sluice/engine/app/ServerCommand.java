package dev.sluice.engine.app;

import dev.sluice.engine.api.ApiContext;
import dev.sluice.engine.scheduler.Owner;
import dev.sluice.engine.scheduler.RunListener;
import dev.sluice.engine.scheduler.Scheduler;
import dev.sluice.engine.scheduler.Takeover;
import dev.sluice.engine.server.PipelineFolder;
import dev.sluice.engine.server.Server;
import dev.sluice.engine.trigger.CronService;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Serve the REST API and the designer, and run pipelines on the embedded worker.",
                "Loads every *.yaml of the pipelines folder as a pipeline version and watches it for changes;",
                "fires pipeline schedules; stops on Ctrl-C or SIGTERM."})
final class ServerCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", description = "TCP port (default ${DEFAULT-VALUE}; 0 for any free one).")
    int port = 8080;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "Address to listen on (default ${DEFAULT-VALUE}; only loopback addresses for now).")
    String bind = "127.0.0.1";

    @Option(names = "--pipelines", paramLabel = "DIR", description = "Folder of pipeline files to load (default: ./pipelines when present).")
    Path pipelines;

    @Option(names = "--slots", paramLabel = "N", description = "Steps run at the same time (default: the number of cores, ${DEFAULT-VALUE}).")
    int slots = Runtime.getRuntime().availableProcessors();

    @Mixin
    StoreOptions storeOptions;

    /** How often the pipelines folder is looked at. */
    static final Duration WATCH_EVERY = Duration.ofSeconds(1);

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (slots < 1) throw new IllegalArgumentException("--slots must be at least 1");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be from 0 to 65535");
        requireLoopback(bind);
        Path folder = pipelines != null ? pipelines : Files.isDirectory(Path.of("pipelines")) ? Path.of("pipelines") : null;
        if (folder != null && !Files.isDirectory(folder)) throw new IllegalArgumentException("--pipelines " + folder + " is not a folder");
        try (LocalEngine engine = LocalEngine.open(storeOptions);
                PipelineFolder files = folder == null ? null : new PipelineFolder(engine.store, folder)) {
            if (files != null) {
                int loaded = files.scan().size();
                err.printf("loaded %d pipeline(s) from %s (watching it for changes)%n", loaded, folder);
            }
            Owner owner = Owner.self("server");
            Scheduler scheduler = engine.scheduler(slots, owner, RunListener.NONE);
            Path baseDir = folder != null ? folder.toAbsolutePath().normalize() : engine.dataDir;
            List<String> resumed = Takeover.resumeServerRuns(engine.store, scheduler, baseDir, engine.clock);
            if (!resumed.isEmpty()) err.printf("resuming %d run(s) a previous server left unfinished: %s%n", resumed.size(), resumed);
            CronService cron = new CronService(engine.store, CronService.RunStarter.of(scheduler), baseDir, engine.clock, owner.toString());
            ApiContext api = new ApiContext(engine.store, scheduler, engine.artifacts, baseDir, engine.clock, owner.toString(), cron::wake);
            CountDownLatch stop = new CountDownLatch(1);
            try (cron; Server server = new Server(api, bind, port, engine.dataDir.resolve("tmp").resolve("vertx"))) {
                cron.start();
                if (files != null) files.watch(WATCH_EVERY, cron::wake);
                int bound = server.start();
                Signals.onInterrupt(stop::countDown, () -> Runtime.getRuntime().halt(Main.CANCELLED));
                String host = bind.contains(":") ? "[" + bind + "]" : bind;
                out.printf("http://%s:%d/%n", host, bound);
                out.flush();
                err.printf("sluice server: listening on http://%s:%d/ (data in %s, %d slots; Ctrl-C stops)%n", host, bound, engine.dataDir, slots);
                err.flush();
                stop.await();
                err.println("sluice server: stopping");
                err.flush();
            }
        }
        return 0;
    }

    /** Tokens come later: until then the API must not be reachable from other machines. */
    static void requireLoopback(String address) {
        InetAddress a;
        try {
            a = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--bind " + address + ": unknown address");
        }
        if (!a.isLoopbackAddress()) {
            throw new IllegalArgumentException("--bind " + address + " is not a loopback address; the API has no "
                    + "authentication yet, so it only listens on this machine (127.0.0.1 or ::1)");
        }
    }
}
