package dev.sluice.engine.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.engine.api.Json;
import dev.sluice.engine.client.ServerClient;
import dev.sluice.engine.report.RunReport;
import dev.sluice.engine.run.RunState;
import dev.sluice.engine.scheduler.Owner;
import dev.sluice.engine.scheduler.Reruns;
import dev.sluice.engine.scheduler.Scheduler;
import dev.sluice.engine.store.RunRecord;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "rerun", mixinStandardHelpOptions = true,
        description = {"Run a run again: the same pipeline version, params, logical date and pinned model versions, "
                + "marked rerun_of. Locally (the data dir's run) it runs here and waits; on a server (--server or "
                + "$SLUICE_SERVER) it prints the new run's id, or follows it with --wait.",
                "Then 'sluice diff OLD NEW' lists what differs."})
final class RerunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run to run again (a unique prefix will do locally).")
    String runId;

    @Option(names = "--wait", description = "On a server: follow the new run until it ends; exit with its outcome.")
    boolean wait;

    @Option(names = "--json", description = "Print the new run as JSON (the shape of 'sluice run --json').")
    boolean json;

    @Option(names = "--slots", paramLabel = "N", description = "Locally: steps run at the same time (default: the number of cores).")
    int slots = Runtime.getRuntime().availableProcessors();

    @Mixin
    StoreOptions storeOptions;

    @Mixin
    ServerOptions serverOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String url = serverOptions.url(System.getenv());
        if (url != null && Remote.wanted(serverOptions, storeOptions)) {
            ServerClient client = serverOptions.client(url, System.getenv());
            JsonNode created = client.postJson("/api/runs/" + ServerClient.segment(runId) + "/rerun", Map.of());
            String id = created.path("id").asText();
            if (wait) return TriggerCommand.follow(client, id, json, out, err);
            out.println(json ? Json.writePretty(created) : id);
            out.flush();
            return 0;
        }
        if (slots < 1) throw new IllegalArgumentException("--slots must be at least 1");
        try (LocalEngine engine = LocalEngine.open(storeOptions)) {
            String original = RunIds.resolve(engine.store, runId, spec);
            Owner owner = Owner.self("cli");
            Reruns.Rerun rerun;
            try {
                rerun = Reruns.prepare(engine.store, original, Path.of("").toAbsolutePath(), true, "rerun",
                        engine.clock.instant(), owner.toString());
            } catch (Reruns.Refused e) {
                throw new IllegalArgumentException(e.getMessage());
            }
            engine.store.commit(rerun.changes());
            String id = rerun.create().run().id();
            err.printf("run %s: rerun of %s (%s v%d, %d steps)%n", id, original, rerun.create().run().pipeline(),
                    rerun.create().run().version(), rerun.plan().tasks().size());
            err.flush();
            boolean live = System.console() != null && !"dumb".equals(System.getenv("TERM"));
            Scheduler scheduler = engine.scheduler(slots, owner, new ConsoleProgress(err, live, rerun.plan().tasks().size()));
            RunRecord end = scheduler.start(rerun.plan(), rerun.create().run(), rerun.create().tasks()).join();
            RunReport report = RunReport.load(engine.store, id).orElseThrow();
            if (json) out.println(Json.writePretty(report));
            else {
                RunPrinter.summary(report, out);
                RunPrinter.failures(report, engine.store::log, out, 10, 5);
                out.printf("%ncompare with: sluice diff %s %s%n", original, id);
            }
            out.flush();
            return end.status() == RunState.SUCCEEDED ? 0 : end.status() == RunState.CANCELLED ? Main.CANCELLED : Main.FAILED;
        }
    }
}
