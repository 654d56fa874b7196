package dev.sluice.engine.app;

import dev.sluice.engine.report.RunReport;
import dev.sluice.engine.report.RunReport.AttemptReport;
import dev.sluice.engine.report.RunReport.OutputReport;
import dev.sluice.engine.report.RunReport.StepReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A run as a person reads it on a terminal. */
final class RunPrinter {
    private RunPrinter() {}

    static void summary(RunReport r, PrintWriter out) {
        out.printf("run %s  %s v%d  %s%s  in %s%n", r.id(), r.pipeline(), r.version(), r.status(),
                r.reason() == null ? "" : " (" + r.reason() + ")", Format.duration(r.startedAt(), r.endedAt()));
        if (!r.params().isEmpty()) {
            List<String> ps = new ArrayList<>();
            r.params().forEach((k, v) -> ps.add(k + "=" + v));
            out.println("params: " + String.join(" ", ps));
        }
        if (r.rerunOf() != null) out.println("rerun of: " + r.rerunOf());
        for (RunReport.ModelUse m : r.models()) {
            out.printf("model: %s %s = %s%n", m.taskId(), m.key(), m.version() == null ? m.ref() + " (resolved to nothing)"
                    : m.model() + " version " + m.version() + " (" + m.ref() + ", sha256 " + shortSha(m.sha256()) + ")");
        }
        List<List<String>> rows = new ArrayList<>();
        for (StepReport s : r.steps()) {
            String detail = s.metrics().isEmpty() ? (s.reason() == null ? "" : s.reason()) : Format.metrics(s.metrics());
            rows.add(List.of(s.id(), s.status() + (s.cached() ? " (cached)" : ""), Integer.toString(s.attempts().size()),
                    s.startedAt() == null ? "-" : Format.duration(s.startedAt(), s.endedAt()), detail));
        }
        out.print(Format.table(List.of("STEP", "STATUS", "ATTEMPTS", "DURATION", "METRICS / REASON"), rows));
        out.flush();
    }

    /** Where {@link #failures} reads an attempt's log: the store, or a server. */
    interface Logs {
        String log(String runId, String stepId, int attempt);
    }

    /** For each FAILED step, the last lines of its last attempt's log: why it failed, without another command. */
    static void failures(RunReport r, Logs logs, PrintWriter out, int lines, int maxSteps) {
        int shown = 0;
        for (StepReport s : r.steps()) {
            if (!s.status().equals("FAILED") || s.attempts().isEmpty()) continue;
            if (shown++ == maxSteps) {
                out.printf("%n(more steps failed: see 'sluice show %s')%n", r.id());
                break;
            }
            int attempt = s.attempts().get(s.attempts().size() - 1).attempt();
            List<String> log = logs.log(r.id(), s.id(), attempt).lines().toList();
            if (log.isEmpty()) continue;
            out.printf("%n%s failed (attempt %d); the last %d lines of its log (sluice logs %s '%s'):%n", s.id(), attempt,
                    Math.min(lines, log.size()), r.id(), s.id());
            for (String line : log.subList(Math.max(0, log.size() - lines), log.size())) out.println("  " + line);
        }
        out.flush();
    }

    private static String shortSha(String sha) {
        return sha == null ? "-" : sha.substring(0, Math.min(12, sha.length()));
    }

    /** The run's code version: pipeline version and sha256, git commit, and each cache file's hash. */
    static void code(RunReport r, PrintWriter out) {
        var code = dev.sluice.engine.code.CodeVersion.fromJson(r.code());
        if (code == null) return;
        out.printf("code: pipeline v%d sha256 %s; git %s%n", code.pipelineVersion(), shortSha(code.pipelineSha256()),
                code.git() == null ? "none (not in a git work tree)"
                        : code.git().commit().substring(0, Math.min(12, code.git().commit().length()))
                        + (code.git().dirty() ? " (dirty: tracked files modified)" : " (clean)"));
        code.files().forEach((f, sha) -> out.printf("  file %s  sha256 %s%n", f, sha));
    }

    static void details(RunReport r, PrintWriter out) {
        summary(r, out);
        code(r, out);
        for (StepReport s : r.steps()) {
            if (s.attempts().isEmpty() && s.outputs().isEmpty()) continue;
            out.printf("%n%s%s%n", s.id(), s.reason() == null ? "" : "  (" + s.reason() + ")");
            for (AttemptReport a : s.attempts()) {
                out.printf("  attempt %d  %-9s  worker %s  %s -> %s  exit %s%s%s%n", a.attempt(), a.status(), a.worker(),
                        Format.time(a.startedAt()), Format.time(a.endedAt()), a.exitCode() == null ? "-" : a.exitCode(),
                        a.reason() == null ? "" : "  reason: " + a.reason(), a.error() == null ? "" : "  error: " + a.error());
            }
            if (!s.metrics().isEmpty()) out.println("  metrics: " + Format.metrics(s.metrics()));
            for (OutputReport o : s.outputs()) out.printf("  output %s  %d bytes  sha256 %s%n", o.path(), o.size(), o.sha256());
        }
        out.flush();
    }
}
