package dev.sluice.engine.app;

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
        description = "Print the stored log of a step's attempt (by default its latest).")
final class LogsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_ID", description = "A run id, or a unique prefix of one.")
    String runId;

    @Parameters(index = "1", paramLabel = "STEP", description = "A step id, or a matrix variant such as 'train[c=0.1]'.")
    String step;

    @Option(names = "--attempt", paramLabel = "N", description = "Which attempt (default: the latest).")
    Integer attempt;

    @Mixin
    StoreOptions storeOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
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
