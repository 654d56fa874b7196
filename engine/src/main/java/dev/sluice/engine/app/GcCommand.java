package dev.sluice.engine.app;

import dev.sluice.engine.api.Json;
import dev.sluice.engine.pipeline.Durations;
import dev.sluice.engine.retention.GarbageCollector;
import dev.sluice.engine.retention.GarbageCollector.Report;
import dev.sluice.engine.store.RetentionPolicy;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "gc", mixinStandardHelpOptions = true,
        description = {"Delete ended runs older than an age or beyond a count per pipeline, with their logs, events, attempts and "
                + "outputs, then the artifact files nothing kept references.",
                "Active runs, the artifacts of kept runs and every artifact and run a model version needs stay. "
                + "Safe while runs are active (a server may be running on the same data)."})
final class GcCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--older-than", paramLabel = "AGE", description = "Delete runs that ended more than AGE ago (7d, 12h, PT36H).")
    String olderThan;

    @Option(names = "--keep-last", paramLabel = "N", description = "Keep the N newest runs of each pipeline, whatever their age.")
    Integer keepLast;

    @Option(names = "--grace", paramLabel = "AGE", description = "Delete an unreferenced artifact file only when untouched this long "
            + "(default ${DEFAULT-VALUE}): a file just written for a run not yet recorded is spared.")
    String grace = "1h";

    @Option(names = "--dry-run", description = "Say what would be deleted and how much space it would free; delete nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Mixin
    StoreOptions storeOptions;

    @Override
    public Integer call() {
        RetentionPolicy policy = new RetentionPolicy(age("--older-than", olderThan), keepLast, age("--grace", grace));
        PrintWriter out = spec.commandLine().getOut();
        try (LocalEngine engine = LocalEngine.open(storeOptions)) {
            Report report = new GarbageCollector(engine.store, GarbageCollector.folderOf(engine.artifacts), engine.clock).run(policy, dryRun);
            out.print(json ? Json.writePretty(json(report)) + "\n" : text(report));
            out.flush();
            return 0;
        }
    }

    private static Duration age(String option, String text) {
        if (text == null) return null;
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage() + " (use 7d, 12h, 30m or ISO-8601 like P7D)");
        }
    }

    static Map<String, Object> json(Report r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dry_run", r.dryRun());
        m.put("runs", r.runs());
        m.put("runs_by_pipeline", r.plan().runsByPipeline());
        m.put("rows", r.rows());
        m.put("log_bytes", r.plan().logBytes());
        m.put("pinned_runs", r.plan().pinned());
        m.put("artifact_files", r.files().files());
        m.put("artifact_bytes", r.files().bytes());
        m.put("leftover_files", r.files().leftovers());
        m.put("leftover_bytes", r.files().leftoverBytes());
        m.put("kept_files", r.files().kept());
        m.put("kept_bytes", r.files().keptBytes());
        m.put("spared_files", r.files().spared());
        m.put("freed_bytes", r.bytes());
        m.put("took_ms", r.took().toMillis());
        return m;
    }

    static String text(Report r) {
        String verb = r.dryRun() ? "would delete" : "deleted";
        StringBuilder sb = new StringBuilder();
        sb.append(verb).append(' ').append(r.runs()).append(r.runs() == 1 ? " run" : " runs");
        if (!r.plan().runsByPipeline().isEmpty()) {
            sb.append(" (").append(r.plan().runsByPipeline().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", "))).append(')');
        }
        sb.append('\n');
        String rows = r.rows().entrySet().stream().filter(e -> !e.getKey().equals("runs") && e.getValue() > 0)
                .map(e -> e.getValue() + " " + e.getKey().replace('_', ' ')).collect(Collectors.joining(", "));
        if (!rows.isEmpty()) sb.append("  rows: ").append(rows).append(" (").append(bytes(r.plan().logBytes())).append(" of log text)\n");
        sb.append("  artifact files: ").append(r.files().files()).append(", ").append(bytes(r.files().bytes()));
        if (r.files().leftovers() > 0) sb.append("; leftovers of interrupted writes: ").append(r.files().leftovers()).append(", ")
                .append(bytes(r.files().leftoverBytes()));
        sb.append('\n');
        sb.append("  kept: ").append(r.files().kept()).append(" artifact files (").append(bytes(r.files().keptBytes())).append(")");
        if (r.files().spared() > 0) sb.append(", ").append(r.files().spared()).append(" unreferenced ones touched within the grace");
        if (r.plan().pinned() > 0) sb.append(", ").append(r.plan().pinned()).append(" old runs a model version or a kept artifact needs");
        sb.append('\n');
        sb.append(r.dryRun() ? "would free " : "freed ").append(bytes(r.bytes())).append(" of artifacts");
        sb.append(r.dryRun() ? "; run again without --dry-run to delete\n" : " in " + Format.duration(r.took()) + "\n");
        return sb.toString();
    }

    static String bytes(long n) {
        if (n < 1024) return n + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[i]);
    }
}
