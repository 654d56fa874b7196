package dev.sluice.engine.app;

import dev.sluice.engine.api.Json;
import dev.sluice.engine.run.RunState;
import dev.sluice.engine.store.RunQuery;
import dev.sluice.engine.store.RunRecord;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "runs", mixinStandardHelpOptions = true, description = "List past runs, newest first.")
final class RunsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--pipeline", paramLabel = "NAME", description = "Only runs of this pipeline.")
    String pipeline;

    @Option(names = "--status", paramLabel = "STATUS", description = "Only runs in this state: ${COMPLETION-CANDIDATES}.")
    RunState status;

    @Option(names = "--limit", paramLabel = "N", description = "At most N runs (default ${DEFAULT-VALUE}).")
    int limit = 20;

    @Option(names = "--json", description = "Print the runs as JSON.")
    boolean json;

    @Mixin
    StoreOptions storeOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (limit < 1) throw new IllegalArgumentException("--limit must be at least 1");
        try (LocalEngine engine = LocalEngine.open(storeOptions)) {
            List<RunRecord> runs = engine.store.runs(new RunQuery(pipeline, status, null, limit));
            if (json) {
                out.println(Json.writePretty(runs));
            } else if (runs.isEmpty()) {
                out.println("no runs yet: start one with 'sluice run FILE'");
            } else {
                List<List<String>> rows = new ArrayList<>();
                for (RunRecord r : runs) {
                    rows.add(List.of(r.id(), r.pipeline(), "v" + r.version(), r.status().name(), Format.time(r.createdAt()),
                            Format.duration(r.startedAt(), r.endedAt()), r.trigger(), r.reason() == null ? "" : r.reason()));
                }
                out.print(Format.table(List.of("RUN", "PIPELINE", "VERSION", "STATUS", "CREATED", "DURATION", "TRIGGER", "REASON"), rows));
            }
            out.flush();
            return 0;
        }
    }
}
