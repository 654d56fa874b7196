package dev.sluice.engine.app;

import dev.sluice.engine.client.ServerClient;
import dev.sluice.engine.report.StepLog;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Print the stored log of a step's attempt (by default its latest).",
                "From the local data dir, or from a server with --server (or $SLUICE_SERVER); with a server, "
                        + "--follow prints new lines as they come until the attempt ends."})
final class LogsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_ID", description = "A run id (locally also a unique prefix of one).")
    String runId;

    @Parameters(index = "1", paramLabel = "STEP", description = "A step id, or a matrix variant such as 'train[c=0.1]'.")
    String step;

    @Option(names = "--attempt", paramLabel = "N", description = "Which attempt (default: the latest).")
    Integer attempt;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until the attempt ends (needs a server).")
    boolean follow;

    @Mixin
    StoreOptions storeOptions;

    @Mixin
    ServerOptions serverOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (attempt != null && attempt < 1) throw new IllegalArgumentException("--attempt must be at least 1");
        String url = serverOptions.url(System.getenv());
        if (url != null && Remote.wanted(serverOptions, storeOptions)) {
            ServerClient client = serverOptions.client(url, System.getenv());
            String path = "/api/runs/" + ServerClient.segment(runId) + "/steps/" + ServerClient.segment(step) + "/logs";
            if (follow) {
                client.follow(path + "?follow=true" + (attempt == null ? "" : "&attempt=" + attempt), new LogFollower(out));
            } else {
                out.print(client.getText(path + (attempt == null ? "" : "?attempt=" + attempt)));
            }
            out.flush();
            return 0;
        }
        if (follow) {
            throw new IllegalArgumentException("--follow needs a server: give --server URL or set " + ServerOptions.SERVER_ENV);
        }
        try (LocalEngine engine = LocalEngine.open(storeOptions)) {
            String id = RunIds.resolve(engine.store, runId, spec);
            try {
                out.print(StepLog.read(engine.store, id, step, attempt));
            } catch (StepLog.Missing e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            out.flush();
            return 0;
        }
    }
}
