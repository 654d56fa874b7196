package dev.sluice.engine.app;

import dev.sluice.engine.api.Json;
import dev.sluice.engine.report.RunReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show one run: every step with its attempts (worker, exit code, reason), metrics and outputs.")
final class ShowCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_ID", description = "A run id, or a unique prefix of one.")
    String runId;

    @Option(names = "--json", description = "Print the run as JSON (the shape of 'sluice run --json').")
    boolean json;

    @Mixin
    StoreOptions storeOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (LocalEngine engine = LocalEngine.open(storeOptions)) {
            String id = RunIds.resolve(engine.store, runId, spec);
            RunReport report = RunReport.load(engine.store, id).orElseThrow();
            if (json) out.println(Json.writePretty(report));
            else RunPrinter.details(report, out);
            out.flush();
            return 0;
        }
    }
}
