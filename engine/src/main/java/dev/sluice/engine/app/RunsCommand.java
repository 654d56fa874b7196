package dev.sluice.engine.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.engine.api.Json;
import dev.sluice.engine.client.ServerClient;
import dev.sluice.engine.run.RunState;
import dev.sluice.engine.store.RunQuery;
import dev.sluice.engine.store.RunRecord;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "runs", mixinStandardHelpOptions = true, description = {"List past runs, newest first: those in the local data dir, or a server's with --server "
                + "(or $SLUICE_SERVER)."})
final class RunsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--pipeline", paramLabel = "NAME", description = "Only runs of this pipeline.")
    String pipeline;

    @picocli.CommandLine.Parameters(arity = "0..1", paramLabel = "NAME", description = "Only runs of this pipeline (as --pipeline).")
    String pipelineArg;

    @Option(names = "--metrics", paramLabel = "NAME[,NAME...]", split = ",",
            description = "As an experiments table: these final metrics as columns (STEP.NAME, or NAME in every step).")
    List<String> metrics = new ArrayList<>();

    @Option(names = "--params", paramLabel = "NAME[,NAME...]", split = ",", description = "As an experiments table: these params as columns.")
    List<String> params = new ArrayList<>();

    @Option(names = "--sort", paramLabel = "COLUMN", description = "Experiments: sort by a column, '-' first for descending (e.g. -evaluate.auc).")
    String sort;

    @Option(names = "--filter", paramLabel = "EXPR", split = ",", description = "Experiments: keep rows where e.g. auc>0.85 or l2=0.1.")
    List<String> filters = new ArrayList<>();

    @Option(names = "--status", paramLabel = "STATUS", description = "Only runs in this state: ${COMPLETION-CANDIDATES}.")
    RunState status;

    @Option(names = "--limit", paramLabel = "N", description = "At most N runs (default ${DEFAULT-VALUE}).")
    int limit = 20;

    @Option(names = "--json", description = "Print the runs as JSON.")
    boolean json;

    @Mixin
    StoreOptions storeOptions;

    @Mixin
    ServerOptions serverOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (limit < 1) throw new IllegalArgumentException("--limit must be at least 1");
        if (pipelineArg != null) {
            if (pipeline != null && !pipeline.equals(pipelineArg)) throw new IllegalArgumentException("give the pipeline once: NAME or --pipeline");
            pipeline = pipelineArg;
        }
        String url = serverOptions.url(System.getenv());
        if (!metrics.isEmpty() || !params.isEmpty() || sort != null || !filters.isEmpty()) {
            if (pipeline == null) throw new IllegalArgumentException("an experiments table (--metrics, --params, --sort, --filter) needs a pipeline NAME");
            ExperimentsTable table = new ExperimentsTable(pipeline, metrics, params, sort, filters, limit);
            int code = url != null && Remote.wanted(serverOptions, storeOptions)
                    ? table.remote(serverOptions.client(url, System.getenv()), out, json)
                    : table.local(storeOptions, out, json);
            out.flush();
            return code;
        }
        if (url != null && Remote.wanted(serverOptions, storeOptions)) return remote(serverOptions.client(url, System.getenv()), out);
        try (LocalEngine engine = LocalEngine.open(storeOptions)) {
            List<RunRecord> runs = engine.store.runs(new RunQuery(pipeline, status, null, limit));
            if (json) {
                out.println(Json.writePretty(runs));
            } else if (runs.isEmpty()) {
                out.println("no runs yet: start one with 'sluice run FILE'");
            } else {
                List<List<String>> rows = new ArrayList<>();
                for (RunRecord r : runs) {
                    rows.add(row(r.id(), r.pipeline(), r.version(), r.status().name(), r.createdAt(), r.startedAt(), r.endedAt(),
                            r.trigger(), r.reason()));
                }
                print(rows, out);
            }
            out.flush();
            return 0;
        }
    }

    /** The same list from a server's {@code GET /api/runs}. */
    private int remote(ServerClient client, PrintWriter out) {
        StringBuilder path = new StringBuilder("/api/runs?limit=").append(limit);
        if (pipeline != null) path.append("&pipeline=").append(ServerClient.query(pipeline));
        if (status != null) path.append("&status=").append(status.name());
        JsonNode runs = client.getJson(path.toString());
        if (json) {
            out.println(Json.writePretty(runs));
        } else if (runs.isEmpty()) {
            out.println("no runs yet on " + client.url() + ": start one with 'sluice trigger NAME'");
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode r : runs) {
                rows.add(row(r.path("id").asText(), r.path("pipeline").asText(), r.path("version").asInt(), r.path("status").asText(),
                        Remote.instant(r, "createdAt"), Remote.instant(r, "startedAt"), Remote.instant(r, "endedAt"),
                        r.path("trigger").asText(""), r.path("reason").asText(null)));
            }
            print(rows, out);
        }
        out.flush();
        return 0;
    }

    private static List<String> row(String id, String pipeline, int version, String status, Instant created, Instant started,
            Instant ended, String trigger, String reason) {
        return List.of(id, pipeline, "v" + version, status, Format.time(created), Format.duration(started, ended),
                trigger == null ? "" : trigger, reason == null ? "" : reason);
    }

    private static void print(List<List<String>> rows, PrintWriter out) {
        out.print(Format.table(List.of("RUN", "PIPELINE", "VERSION", "STATUS", "CREATED", "DURATION", "TRIGGER", "REASON"), rows));
    }
}
