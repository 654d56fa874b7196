package dev.sluice.engine.app;

import dev.sluice.engine.store.Store;
import java.util.List;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;

/** Resolves a run id or a unique prefix of one, as typed on the command line. */
final class RunIds {
    private RunIds() {}

    static String resolve(Store store, String given, CommandSpec spec) {
        if (store.run(given).isPresent()) return given;
        List<String> matches = store.runIdsStartingWith(given);
        if (matches.size() == 1) return matches.get(0);
        if (matches.isEmpty()) throw new ParameterException(spec.commandLine(), "no run " + given + " (see 'sluice runs')");
        throw new ParameterException(spec.commandLine(),
                "'" + given + "' names " + matches.size() + " runs: " + String.join(", ", matches.subList(0, Math.min(5, matches.size())))
                        + (matches.size() > 5 ? ", ..." : ""));
    }
}
