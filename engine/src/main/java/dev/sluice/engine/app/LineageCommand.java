package dev.sluice.engine.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.engine.api.Json;
import dev.sluice.engine.client.ServerClient;
import dev.sluice.engine.lineage.Lineage;
import dev.sluice.engine.lineage.LineageGraph;
import dev.sluice.engine.registry.ModelRef;
import dev.sluice.worker.artifact.ContentStore;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "lineage", mixinStandardHelpOptions = true,
        description = {"Walk back from a model version, an artifact or a step to everything it came from, as an indented tree.",
                "REF: NAME@ALIAS or NAME:VERSION (a model), a sha256 (an artifact), or RUN_ID/STEP (a step's attempt)."})
final class LineageCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "REF")
    String ref;

    @Option(names = "--depth", paramLabel = "N", description = "Levels to walk back (default ${DEFAULT-VALUE}).")
    int depth = Lineage.DEFAULT_DEPTH;

    @Option(names = "--limit", paramLabel = "N", description = "Most nodes (default ${DEFAULT-VALUE}).")
    int limit = Lineage.DEFAULT_LIMIT;

    @Option(names = "--json", description = "Print the graph as JSON (the API's shape).")
    boolean json;

    @Mixin
    StoreOptions storeOptions;

    @Mixin
    ServerOptions serverOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (depth < 1 || depth > Lineage.MAX_DEPTH) throw new IllegalArgumentException("--depth must be from 1 to " + Lineage.MAX_DEPTH);
        if (limit < 1 || limit > Lineage.MAX_LIMIT) throw new IllegalArgumentException("--limit must be from 1 to " + Lineage.MAX_LIMIT);
        String query;
        String kind;
        if (ContentStore.isSha256(ref)) {
            kind = "artifact";
            query = "artifact=" + ref;
        } else if (ref.contains("@") || ref.contains(":")) {
            ModelRef.parse(ref); // a clear message for a bad one
            kind = "model";
            query = "model=" + ServerClient.query(ref);
        } else if (ref.contains("/")) {
            kind = "step";
            String run = ref.substring(0, ref.indexOf('/'));
            String step = ref.substring(ref.indexOf('/') + 1);
            query = "run=" + ServerClient.query(run) + "&step=" + ServerClient.query(step);
        } else {
            throw new IllegalArgumentException("REF is NAME@ALIAS, NAME:VERSION, a sha256, or RUN_ID/STEP; not '" + ref + "'");
        }
        JsonNode graph;
        String url = serverOptions.url(System.getenv());
        if (url != null && Remote.wanted(serverOptions, storeOptions)) {
            ServerClient client = serverOptions.client(url, System.getenv());
            graph = client.getJson("/api/lineage?" + query + "&depth=" + depth + "&limit=" + limit);
        } else {
            try (LocalEngine engine = LocalEngine.open(storeOptions)) {
                Optional<LineageGraph> g = switch (kind) {
                    case "artifact" -> Lineage.ofArtifact(engine.store, ref, depth, limit);
                    case "model" -> Lineage.ofModel(engine.store, ModelRef.parse(ref), depth, limit);
                    default -> {
                        String run = RunIds.resolve(engine.store, ref.substring(0, ref.indexOf('/')), spec);
                        yield Lineage.ofStep(engine.store, run, ref.substring(ref.indexOf('/') + 1), depth, limit);
                    }
                };
                graph = Json.read(Json.write(g.orElseThrow(() -> new IllegalArgumentException("nothing known as " + ref))));
            }
        }
        if (json) out.println(Json.writePretty(graph));
        else tree(graph, out);
        out.flush();
        return 0;
    }

    /** The graph as a tree from its root, each node's parents indented under it; a node seen before is named, not repeated. */
    static void tree(JsonNode graph, PrintWriter out) {
        Map<String, JsonNode> nodes = new LinkedHashMap<>();
        for (JsonNode n : graph.path("nodes")) nodes.put(n.path("id").asText(), n);
        Map<String, List<String[]>> parents = new LinkedHashMap<>();
        for (JsonNode e : graph.path("edges")) {
            parents.computeIfAbsent(e.path("to").asText(), k -> new ArrayList<>())
                    .add(new String[] {e.path("from").asText(), e.path("type").asText()});
        }
        Set<String> cut = new HashSet<>();
        graph.path("cut").forEach(c -> cut.add(c.asText()));
        Set<String> printed = new HashSet<>();
        print(graph.path("root").asText(), null, "", nodes, parents, cut, printed, out);
        if (graph.path("truncated").asBoolean()) out.println("(truncated: more than the node limit; ask with --limit)");
    }

    private static void print(String id, String via, String indent, Map<String, JsonNode> nodes, Map<String, List<String[]>> parents,
            Set<String> cut, Set<String> printed, PrintWriter out) {
        JsonNode n = nodes.get(id);
        String label = n == null ? id : n.path("label").asText(id);
        String type = n == null ? "" : n.path("type").asText();
        String seen = printed.contains(id) ? "  (see above)" : "";
        out.printf("%s%s[%s] %s%s%s%n", indent, via == null ? "" : "<-" + via + "- ", type, label,
                cut.contains(id) ? "  (cut: --depth to see more)" : "", seen);
        if (!printed.add(id)) return;
        for (String[] p : parents.getOrDefault(id, List.of())) {
            print(p[0], p[1], indent + "  ", nodes, parents, cut, printed, out);
        }
    }
}
