package dev.sluice.engine.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.engine.api.Json;
import dev.sluice.engine.client.ServerClient;
import dev.sluice.engine.report.RunDiff;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"What differs between two runs: params, pinned model versions, code versions (pipeline, git, "
                + "cache files), metrics, and every output whose sha256 differs. Nothing listed: the same.",
                "Exit 0 when the outputs are the same, 1 when some output differs."})
final class DiffCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_A")
    String a;

    @Parameters(index = "1", paramLabel = "RUN_B")
    String b;

    @Option(names = "--json", description = "Print the differences as JSON (the API's shape).")
    boolean json;

    @Mixin
    StoreOptions storeOptions;

    @Mixin
    ServerOptions serverOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        JsonNode d;
        String url = serverOptions.url(System.getenv());
        if (url != null && Remote.wanted(serverOptions, storeOptions)) {
            ServerClient client = serverOptions.client(url, System.getenv());
            d = client.getJson("/api/runs/" + ServerClient.segment(a) + "/diff/" + ServerClient.segment(b));
        } else {
            try (LocalEngine engine = LocalEngine.open(storeOptions)) {
                String ra = RunIds.resolve(engine.store, a, spec);
                String rb = RunIds.resolve(engine.store, b, spec);
                d = Json.read(Json.write(RunDiff.of(engine.store, ra, rb).orElseThrow()));
            }
        }
        if (json) {
            out.println(Json.writePretty(d));
        } else {
            out.printf("diff %s %s%n", d.path("a").asText(), d.path("b").asText());
            section(out, "params", d.path("params"), "name");
            section(out, "models", d.path("models"), "task_id", "key");
            section(out, "code", d.path("code"), "what");
            section(out, "metrics", d.path("metrics"), "task_id", "name");
            section(out, "outputs", d.path("outputs"), "task_id", "path");
            if (d.path("outputs").isEmpty()) out.println("every output is byte for byte the same");
        }
        out.flush();
        return d.path("outputs").isEmpty() ? 0 : 1;
    }

    private static void section(PrintWriter out, String title, JsonNode rows, String... keys) {
        if (rows.isEmpty()) {
            out.printf("%s: same%n", title);
            return;
        }
        out.printf("%s: %d differ%n", title, rows.size());
        for (JsonNode r : rows) {
            StringBuilder what = new StringBuilder();
            for (String k : keys) {
                if (what.length() > 0) what.append(' ');
                what.append(r.path(k).asText());
            }
            out.printf("  %s: %s -> %s%n", what, shown(r.path("a")), shown(r.path("b")));
        }
    }

    private static String shown(JsonNode v) {
        if (v.isMissingNode() || v.isNull()) return "(none)";
        String s = v.isTextual() ? v.asText() : v.toString();
        return s.length() == 64 && s.matches("[0-9a-f]+") ? s.substring(0, 12) : s;
    }

    static List<String> sections() {
        return List.of("params", "models", "code", "metrics", "outputs");
    }
}
