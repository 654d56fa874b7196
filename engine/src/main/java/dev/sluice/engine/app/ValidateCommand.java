package dev.sluice.engine.app;

import dev.sluice.engine.dag.Plan;
import dev.sluice.engine.dag.Planner;
import dev.sluice.engine.pipeline.PipelineLoader;
import dev.sluice.engine.pipeline.ParseResult;
import dev.sluice.engine.pipeline.Problem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check pipeline files without running them.",
                "Prints every problem as FILE:LINE:COL: message on stderr; exit 0 when all files are valid, 2 otherwise."})
final class ValidateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Pipeline YAML files.")
    List<Path> files;

    @Option(names = "--timings", description = "Print how long parsing, validation and planning took (on stderr).")
    boolean timings;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean allValid = true;
        List<dev.sluice.engine.pipeline.Pipeline> valid = new java.util.ArrayList<>();
        for (Path file : files) {
            long start = System.nanoTime();
            ParseResult result = PipelineLoader.load(file);
            Plan plan = result.ok() ? Planner.plan(result.pipeline()) : null;
            long micros = (System.nanoTime() - start) / 1_000;
            if (timings) err.printf("timings: parse+validate+plan %.1f ms (%s)%n", micros / 1000.0, file);
            if (result.ok()) {
                out.printf("%s: valid (%d steps, %d tasks)%n", file, result.pipeline().steps().size(), plan.tasks().size());
                valid.add(result.pipeline());
            } else {
                allValid = false;
                for (Problem p : result.problems()) err.println(p.format());
            }
        }
        // files loaded together: a trigger cycle between them (a -> b -> a) is an error of the set
        for (Problem p : dev.sluice.engine.pipeline.TriggerCycles.check(valid)) {
            allValid = false;
            err.println(p.format());
        }
        err.flush();
        return allValid ? 0 : Main.INVALID;
    }
}
