package dev.sluice.engine.app;

import dev.sluice.engine.api.Json;
import dev.sluice.engine.dag.Plan;
import dev.sluice.engine.dag.Planner;
import dev.sluice.engine.pipeline.ParamValues;
import dev.sluice.engine.pipeline.ParseResult;
import dev.sluice.engine.pipeline.Pipeline;
import dev.sluice.engine.pipeline.PipelineLoader;
import dev.sluice.engine.pipeline.Problem;
import dev.sluice.engine.report.RunReport;
import dev.sluice.engine.run.RunState;
import dev.sluice.engine.scheduler.NewRun;
import dev.sluice.engine.scheduler.Owner;
import dev.sluice.engine.scheduler.Scheduler;
import dev.sluice.engine.store.Change;
import dev.sluice.engine.store.PipelineVersion;
import dev.sluice.engine.store.RunRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a pipeline in this process (no server), on the embedded worker.",
                "Progress goes to stderr; exit 0 when the run SUCCEEDED, 1 when it FAILED, 2 when the file or a param is invalid."})
final class RunCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The pipeline YAML file.")
    Path file;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "Override a param (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--slots", paramLabel = "N", description = "Steps run at the same time (default: the number of cores, ${DEFAULT-VALUE}).")
    int slots = Runtime.getRuntime().availableProcessors();

    @Option(names = "--json", description = "Print the run summary as JSON on stdout.")
    boolean json;

    @Mixin
    StoreOptions storeOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (slots < 1) throw new IllegalArgumentException("--slots must be at least 1");
        ParseResult parsed = PipelineLoader.load(file);
        if (!parsed.ok()) {
            for (Problem p : parsed.problems()) err.println(p.format());
            err.flush();
            return Main.INVALID;
        }
        Pipeline pipeline = parsed.pipeline();
        Map<String, Object> values = ParamValues.resolve(pipeline.params(), params);
        Plan plan = Planner.plan(pipeline);
        for (var step : pipeline.steps()) {
            if (!step.labels().isEmpty()) {
                err.printf("sluice: step '%s' asks for a worker with labels %s; 'sluice run' has one local worker and runs it here%n",
                        step.id(), step.labels());
            }
        }
        // the git version is read while the store opens: JGit's first look at a work tree takes a few hundred ms
        CompletableFuture<dev.sluice.engine.code.CodeVersion.Git> git =
                CompletableFuture.supplyAsync(() -> dev.sluice.engine.code.CodeVersions.git(pipeline.baseDir()));
        try (LocalEngine engine = LocalEngine.open(storeOptions)) {
            PipelineVersion version = engine.store.savePipeline(pipeline.name(), read(file));
            Instant now = engine.clock.instant();
            Owner owner = Owner.self("cli");
            Change.CreateRun create = NewRun.create(NewRun.newId(now), version, plan, values, "cli", now, now, owner.toString());
            engine.store.commit(List.of(create, dev.sluice.engine.scheduler.Provenances.capture(engine.store, pipeline,
                    version, plan, create.run().id(), null, git.join())));
            String runId = create.run().id();
            boolean live = System.console() != null && !"dumb".equals(System.getenv("TERM"));
            err.printf("run %s: %s v%d, %d steps, %d slots (data in %s)%n", runId, pipeline.name(), version.version(),
                    plan.tasks().size(), slots, engine.dataDir);
            err.flush();
            Scheduler scheduler = engine.scheduler(slots, owner, new ConsoleProgress(err, live, plan.tasks().size()));
            CompletableFuture<RunRecord> done = scheduler.start(plan, create.run(), create.tasks());
            Signals.onInterrupt(() -> {
                err.println();
                err.println("sluice: cancelling run " + runId + " (running steps get TERM, then KILL after "
                        + LocalEngine.KILL_GRACE.toSeconds() + " s; press Ctrl-C again to exit at once) ...");
                err.flush();
                scheduler.cancel(runId);
            }, () -> {
                err.println("sluice: exiting; the next command will mark run " + runId + " interrupted");
                err.flush();
                Runtime.getRuntime().halt(Main.CANCELLED);
            });
            RunRecord end = done.join();
            RunReport report = RunReport.load(engine.store, runId).orElseThrow();
            if (json) out.println(Json.writePretty(report));
            else {
                RunPrinter.summary(report, out);
                RunPrinter.failures(report, engine.store::log, out, 10, 5);
            }
            out.flush();
            return end.status() == RunState.SUCCEEDED ? 0 : end.status() == RunState.CANCELLED ? Main.CANCELLED : Main.FAILED;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
