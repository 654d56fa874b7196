package dev.sluice.engine.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.engine.client.ClientException;
import dev.sluice.engine.client.ServerClient;
import dev.sluice.engine.report.RunReport;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "trigger", mixinStandardHelpOptions = true,
        description = {"Start a run of a pipeline on a server and print the run's id.",
                "With --wait, follow the run to its end as 'sluice run' does: progress on stderr, the summary on stdout, "
                        + "and the same exit codes (0 SUCCEEDED, 1 FAILED, 130 CANCELLED)."})
final class TriggerCommand implements Callable<Integer> {

    static final String DEFAULT_SERVER = "http://127.0.0.1:8080";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The pipeline's name on the server.")
    String name;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "Override a param (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--wait", description = "Follow the run until it ends; exit with its outcome.")
    boolean wait;

    @Option(names = "--json", description = "With --wait, print the run summary as JSON on stdout (the shape of 'sluice run --json').")
    boolean json;

    @Mixin
    ServerOptions serverOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (json && !wait) throw new IllegalArgumentException("--json goes with --wait");
        Map<String, String> env = System.getenv();
        String url = serverOptions.url(env);
        ServerClient client = serverOptions.client(url == null ? DEFAULT_SERVER : url, env);
        // values go as text: the server reads "5" as 5 for an integer param, as 'sluice run --param' does
        JsonNode created = client.postJson("/api/pipelines/" + ServerClient.segment(name) + "/runs", Map.of("params", params));
        String id = created.path("id").asText();
        if (!wait) {
            out.println(id);
            out.flush();
            return 0;
        }
        return follow(client, id, json, out, err);
    }

    /** Follows a run on a server until it ends, printing its progress; the exit code of its outcome. */
    static int follow(ServerClient client, String id, boolean json, PrintWriter out, PrintWriter err) {
        String runPath = "/api/runs/" + ServerClient.segment(id);
        RunReport start = client.get(runPath, RunReport.class);
        err.printf("run %s: %s v%d, %d steps, on %s%n", id, start.pipeline(), start.version(), start.steps().size(), client.url());
        err.flush();
        boolean live = System.console() != null && !"dumb".equals(System.getenv("TERM"));
        ConsoleProgress progress = new ConsoleProgress(err, live, start.steps().size());
        RemoteProgress events = new RemoteProgress(client.mapper(), id, progress);
        client.follow(runPath + "/events", events);
        RunReport end = client.get(runPath, RunReport.class);
        if (json) {
            out.println(dev.sluice.engine.api.Json.writePretty(end));
        } else {
            RunPrinter.summary(end, out);
            RunPrinter.failures(end, (run, step, attempt) -> remoteLog(client, run, step, attempt), out, 10, 5);
        }
        out.flush();
        return switch (end.status()) {
            case "SUCCEEDED" -> 0;
            case "CANCELLED" -> Main.CANCELLED;
            default -> Main.FAILED;
        };
    }

    private static String remoteLog(ServerClient client, String run, String step, int attempt) {
        try {
            return client.getText("/api/runs/" + ServerClient.segment(run) + "/steps/" + ServerClient.segment(step)
                    + "/logs?attempt=" + attempt);
        } catch (ClientException e) {
            return "";
        }
    }
}
