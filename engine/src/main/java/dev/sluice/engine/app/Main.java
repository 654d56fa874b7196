package dev.sluice.engine.app;

import dev.sluice.engine.client.ClientException;
import dev.sluice.engine.store.StoreException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sluice}: the command line. */
@Command(name = "sluice", mixinStandardHelpOptions = true, version = "Sluice 0.1.0",
        description = "Workflow orchestration for MLOps: run pipelines of shell steps as a DAG.",
        subcommands = {ValidateCommand.class, RunCommand.class, RunsCommand.class, ShowCommand.class,
                LogsCommand.class, TriggerCommand.class, ModelsCommand.class, RerunCommand.class, DiffCommand.class,
                LineageCommand.class, AlertsCommand.class, ServerCommand.class, ClusterCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 success, 1 the run failed, 2 invalid input, 3 Sluice could not do its work, "
                + "130 cancelled."})
public final class Main implements Runnable {

    static final int FAILED = 1;
    static final int INVALID = 2;
    static final int ERROR = 3;
    static final int CANCELLED = 130;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(Main::handle);
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter w = ex.getCommandLine().getErr();
            w.println("sluice: " + ex.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, w)) {
                w.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            }
            return INVALID;
        });
        return cl.execute(args);
    }

    /** Errors become one line for a person, never a stack trace. */
    private static int handle(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        Throwable e = ex instanceof java.util.concurrent.CompletionException && ex.getCause() != null ? ex.getCause() : ex;
        if (e instanceof ClientException c) {
            err.println("sluice: " + c.getMessage());
            return c.kind() == ClientException.Kind.INPUT ? INVALID : ERROR;
        }
        if (e instanceof IllegalArgumentException) {
            err.println("sluice: " + e.getMessage());
            return INVALID;
        }
        if (e instanceof StoreException || e instanceof UncheckedIOException) {
            err.println("sluice: " + e.getMessage());
            return ERROR;
        }
        err.println("sluice: internal error: " + e + " (SLUICE_LOG_LEVEL=debug shows where)");
        org.slf4j.LoggerFactory.getLogger(Main.class).debug("internal error", e);
        return ERROR;
    }
}
