package dev.sluice.engine.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.engine.api.Json;
import dev.sluice.engine.client.ServerClient;
import dev.sluice.engine.store.AlertRecord;
import dev.sluice.engine.store.MonitorStore;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "alerts", mixinStandardHelpOptions = true, description = {"List alerts that fired, newest first, with their delivery "
        + "per channel: those in the local data dir, or a server's with --server (or $SLUICE_SERVER)."})
final class AlertsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--pipeline", paramLabel = "NAME", description = "Only alerts of this pipeline.")
    String pipeline;

    @Option(names = "--severity", paramLabel = "LEVEL", description = "Only alerts of this severity: info, warning or critical.")
    String severity;

    @Option(names = "--since", paramLabel = "INSTANT", description = "Only alerts fired at or after this ISO-8601 instant.")
    Instant since;

    @Option(names = "--limit", paramLabel = "N", description = "At most N alerts (default ${DEFAULT-VALUE}).")
    int limit = 20;

    @Option(names = "--enable-channel", paramLabel = "CHANNEL",
            description = "Re-enable a channel its receiver disabled (HTTP 410): its held deliveries are sent again.")
    String enableChannel;

    @Option(names = "--json", description = "Print the alerts as JSON.")
    boolean json;

    @Mixin
    StoreOptions storeOptions;

    @Mixin
    ServerOptions serverOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (limit < 1 || limit > 500) throw new IllegalArgumentException("--limit must be from 1 to 500");
        String url = serverOptions.url(System.getenv());
        if (enableChannel != null) {
            int again;
            if (url != null && Remote.wanted(serverOptions, storeOptions)) {
                again = serverOptions.client(url, System.getenv())
                        .postJson("/api/channels/" + ServerClient.segment(enableChannel) + "/enable", java.util.Map.of()).path("pending_again").asInt();
            } else {
                try (LocalEngine engine = LocalEngine.open(storeOptions)) {
                    again = engine.store.monitor().enableChannel(enableChannel, Instant.now());
                }
            }
            out.printf("channel %s enabled; %d delivery(ies) pending again%n", enableChannel, again);
            out.flush();
            return 0;
        }
        List<List<String>> rows = new ArrayList<>();
        if (url != null && Remote.wanted(serverOptions, storeOptions)) {
            ServerClient client = serverOptions.client(url, System.getenv());
            StringBuilder path = new StringBuilder("/api/alerts?limit=").append(limit);
            if (pipeline != null) path.append("&pipeline=").append(ServerClient.query(pipeline));
            if (severity != null) path.append("&severity=").append(ServerClient.query(severity));
            if (since != null) path.append("&since=").append(ServerClient.query(since.toString()));
            JsonNode alerts = client.getJson(path.toString()).path("alerts");
            if (json) {
                out.println(Json.writePretty(alerts));
                out.flush();
                return 0;
            }
            for (JsonNode a : alerts) {
                List<String> d = new ArrayList<>();
                a.path("deliveries").forEach(x -> d.add(x.path("channel").asText() + ":" + x.path("state").asText()));
                rows.add(List.of(Format.time(Remote.instant(a, "fired_at")), a.path("severity").asText(), a.path("pipeline").asText(),
                        a.path("run_id").asText(), oneLine(a.path("message").asText()), String.join(" ", d), a.path("triggered_run_id").asText("")));
            }
        } else {
            try (LocalEngine engine = LocalEngine.open(storeOptions)) {
                List<AlertRecord> alerts = engine.store.monitor().alerts(new MonitorStore.AlertQuery(pipeline, severity, since, limit));
                if (json) {
                    out.println(Json.writePretty(alerts));
                    out.flush();
                    return 0;
                }
                for (AlertRecord a : alerts) {
                    List<String> d = a.deliveries().stream().map(x -> x.channel() + ":" + x.state()).toList();
                    rows.add(List.of(Format.time(a.firedAt()), a.severity(), a.pipeline(), a.runId(), oneLine(a.message()),
                            String.join(" ", d), a.triggeredRunId() == null ? "" : a.triggeredRunId()));
                }
            }
        }
        if (rows.isEmpty()) out.println("no alerts");
        else out.print(Format.table(List.of("FIRED", "SEVERITY", "PIPELINE", "RUN", "MESSAGE", "DELIVERIES", "TRIGGERED"), rows));
        out.flush();
        return 0;
    }

    /** A message on one line, control characters shown as spaces: a terminal is not told to do anything by it. */
    private static String oneLine(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return b.length() > 120 ? b.substring(0, 119) + "…" : b.toString();
    }
}
