package dev.sluice.engine.pipeline;

import dev.sluice.engine.expr.Spelling;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/** "Did you mean" hints for keys, knowing the words people bring from other tools. */
final class Hints {

    private static final Map<String, String> SYNONYMS = Map.ofEntries(
            Map.entry("depends_on", "needs"), Map.entry("dependson", "needs"), Map.entry("depends", "needs"),
            Map.entry("after", "needs"), Map.entry("requires", "needs"),
            Map.entry("command", "run"), Map.entry("cmd", "run"), Map.entry("script", "run"),
            Map.entry("shell", "run"), Map.entry("when", "if"), Map.entry("condition", "if"),
            Map.entry("tasks", "steps"), Map.entry("jobs", "steps"),
            Map.entry("environment", "env"), Map.entry("variables", "env"),
            Map.entry("working_directory", "workdir"), Map.entry("cwd", "workdir"),
            Map.entry("parameters", "params"), Map.entry("retry", "retries"));

    private Hints() {
    }

    static String didYouMean(String given, Collection<String> candidates) {
        String synonym = SYNONYMS.get(given.toLowerCase(Locale.ROOT).replace('-', '_'));
        if (synonym != null && candidates.contains(synonym)) return "did you mean '" + synonym + "'?";
        return Spelling.didYouMean(given, candidates);
    }
}
