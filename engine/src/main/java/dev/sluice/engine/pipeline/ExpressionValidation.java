package dev.sluice.engine.pipeline;

import dev.sluice.engine.expr.ExpressionChecker;
import dev.sluice.engine.expr.ExpressionIssue;
import dev.sluice.engine.expr.ValueType;
import dev.sluice.engine.pipeline.Drafts.ExprSite;
import dev.sluice.engine.pipeline.Drafts.PipelineDraft;
import dev.sluice.engine.pipeline.Drafts.StepDraft;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks every expression of a pipeline, each in its step's context. Only used when the file
 * holds expressions: this is where CEL gets loaded.
 */
final class ExpressionValidation {

    private ExpressionValidation() {
    }

    static void check(PipelineDraft draft, StepGraph graph, Problems problems, SourceText source) {
        Map<String, ValueType> params = new LinkedHashMap<>();
        draft.params().forEach((name, p) -> params.put(name, type(p.type())));
        List<String> ids = new ArrayList<>();
        List<String> matrixSteps = new ArrayList<>();
        Map<String, StepDraft> byId = new HashMap<>();
        for (StepDraft s : draft.steps()) {
            if (s.id() == null) continue;
            ids.add(s.id());
            byId.putIfAbsent(s.id(), s);
            if (!s.matrix().isEmpty()) matrixSteps.add(s.id());
        }
        ExpressionChecker checker = new ExpressionChecker(params, ids, matrixSteps);
        for (ExprSite site : draft.expressions()) {
            report(site, checker.check(site.expression(), new ExpressionChecker.Context(null, null, null, false)),
                    problems, source);
        }
        // alerts are evaluated when the run ended: every step is "upstream", and run.status is known
        ExpressionChecker.Context alertContext = new ExpressionChecker.Context("", null, id -> true, false);
        for (ExprSite site : draft.alertExpressions()) {
            report(site, checker.check(site.expression(), site.condition()
                    ? new ExpressionChecker.Context("", null, id -> true, true) : alertContext), problems, source);
        }
        for (StepDraft s : draft.steps()) {
            for (ExprSite site : s.expressions()) {
                String self = s.id();
                ExpressionChecker.Context context = new ExpressionChecker.Context(
                        self == null ? "" : self,
                        s.matrix().isEmpty() ? null : s.matrixTypes(),
                        id -> self != null && graph.isUpstream(id, self),
                        site.condition(), s.models().keySet(), site.promote());
                report(site, checker.check(site.expression(), context), problems, source);
            }
        }
    }

    private static void report(ExprSite site, List<ExpressionIssue> issues, Problems problems, SourceText source) {
        for (ExpressionIssue issue : issues) {
            int at = issue.offset() < 0 ? site.offset() : site.offset() + issue.offset();
            problems.add(source.locate(site.scalar(), at), site.path(), issue.code(), issue.message(), issue.hint());
        }
    }

    static ValueType type(ParamType t) {
        return switch (t) {
            case STRING -> ValueType.STRING;
            case INTEGER -> ValueType.INT;
            case NUMBER -> ValueType.DOUBLE;
            case BOOLEAN -> ValueType.BOOL;
        };
    }
}
