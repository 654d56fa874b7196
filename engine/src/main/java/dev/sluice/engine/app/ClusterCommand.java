package dev.sluice.engine.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.engine.client.ServerClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"Show a server's cluster: its engines (the leader first) and workers, with their labels, slots and running steps."})
final class ClusterCommand implements Callable<Integer> {

    static final String DEFAULT_SERVER = "http://127.0.0.1:8080";

    @Spec
    CommandSpec spec;

    @Mixin
    ServerOptions serverOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String url = serverOptions.url(System.getenv());
        ServerClient client = serverOptions.client(url == null ? DEFAULT_SERVER : url, System.getenv());
        JsonNode cluster = client.getJson("/api/cluster");
        Instant now = Instant.now();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ROLE", "NAME", "LEADER", "LABELS", "SLOTS", "RUNNING", "ADDRESS", "JOINED", "SEEN"});
        for (JsonNode m : cluster.path("members")) {
            boolean worker = m.path("role").asText().equals("worker");
            List<String> labels = new ArrayList<>();
            m.path("labels").forEach(l -> labels.add(l.asText()));
            rows.add(new String[] {
                m.path("role").asText(), m.path("name").asText(),
                worker ? "" : m.path("leader").asBoolean() ? "yes" : "no",
                worker ? (labels.isEmpty() ? "-" : String.join(",", labels)) : "",
                worker ? m.path("slots").asText() : "", worker ? m.path("running").asText() : "",
                m.path("address").asText(), ago(Remote.instant(m, "joinedAt"), now), ago(Remote.instant(m, "lastSeen"), now)});
        }
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]);
                if (i < r.length - 1) line.append(" ".repeat(width[i] - r[i].length() + 2));
            }
            out.println(line.toString().stripTrailing());
        }
        if (!cluster.path("clustered").asBoolean()) out.println("(this server runs with --no-cluster: no remote workers)");
        out.flush();
        return 0;
    }

    private static String ago(Instant at, Instant now) {
        if (at == null) return "-";
        long s = Math.max(0, Duration.between(at, now).toSeconds());
        return s < 60 ? s + "s ago" : s < 3600 ? (s / 60) + "m ago" : (s / 3600) + "h ago";
    }
}
