package dev.sluice.engine.app;

import dev.sluice.engine.client.ClientException;
import dev.sluice.engine.store.StoreException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code sluice}: the command line.
 *
 * <p>The subcommands are added by {@link #commandLine}, not listed in {@code @Command}: picocli
 * reflects over every subcommand it is given (their options, mixins and the classes those name)
 * before it parses anything, which cost {@code sluice run} tens of milliseconds of start for
 * fourteen commands it does not run. So when the first argument names a subcommand, only that one
 * is added; help, completion, an option first or a typo get them all.
 */
@Command(name = "sluice", mixinStandardHelpOptions = true, version = "Sluice 0.1.0",
        description = "Workflow orchestration for MLOps: run pipelines of shell steps as a DAG.",
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
        if (args.length == 1 && CdsWarmUp.OPTION.equals(args[0])) System.exit(CdsWarmUp.run());
        skipCompactionAtClose(args.length > 0 ? args[0] : "");
        System.exit(execute(args));
    }

    /**
     * H2 spends up to 200 ms compacting the database file when the last connection closes, on every
     * command, even one that only read (measured: a close of 100–350 ms against 10–75 ms without).
     * A short command skips it ({@code h2.maxCompactTime}, H2's default for its MAX_COMPACT_TIME
     * setting); the space of dead chunks is still reused as the file is written. The server, which
     * closes rarely, and {@code sluice gc}, which is there to free space, still compact. A value
     * the user set ({@code -Dh2.maxCompactTime=...}) wins.
     */
    static void skipCompactionAtClose(String command) {
        if (!command.equals("server") && !command.equals("gc") && System.getProperty(H2_MAX_COMPACT_TIME) == null) {
            System.setProperty(H2_MAX_COMPACT_TIME, "0");
        }
    }

    static final String H2_MAX_COMPACT_TIME = "h2.maxCompactTime";

    static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    static int execute(PrintWriter out, PrintWriter err, String... args) {
        Preload preload = Preload.start(args.length > 0 ? args[0] : "");
        CommandLine cl = commandLine(args);
        cl.setExecutionStrategy(parsed -> {
            preload.await();
            return new CommandLine.RunLast().execute(parsed);
        });
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

    /** Every subcommand's name, in the order {@code sluice --help} lists them. */
    static final List<String> SUBCOMMANDS = List.of("validate", "run", "runs", "show", "logs", "trigger", "models",
            "rerun", "diff", "lineage", "alerts", "server", "cluster", "gc", "completion", "help");

    /** The command line for these arguments: only the subcommand they name, or every one (see above). */
    static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new Main());
        Object named = args.length > 0 && !"help".equals(args[0]) && !"completion".equals(args[0])
                ? subcommand(args[0]) : null;
        if (named != null) {
            cl.addSubcommand(named);
        } else {
            for (String name : SUBCOMMANDS) cl.addSubcommand(name, subcommand(name));
        }
        return cl;
    }

    /** A new instance of a subcommand, or null for an unknown name (a switch: no reflection, no lambdas). */
    private static Object subcommand(String name) {
        return switch (name) {
            case "validate" -> new ValidateCommand();
            case "run" -> new RunCommand();
            case "runs" -> new RunsCommand();
            case "show" -> new ShowCommand();
            case "logs" -> new LogsCommand();
            case "trigger" -> new TriggerCommand();
            case "models" -> new ModelsCommand();
            case "rerun" -> new RerunCommand();
            case "diff" -> new DiffCommand();
            case "lineage" -> new LineageCommand();
            case "alerts" -> new AlertsCommand();
            case "server" -> new ServerCommand();
            case "cluster" -> new ClusterCommand();
            case "gc" -> new GcCommand();
            case "completion" -> new CompletionCommand();
            case "help" -> new CommandLine.HelpCommand();
            default -> null;
        };
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
