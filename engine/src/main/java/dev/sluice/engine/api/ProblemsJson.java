package dev.sluice.engine.api;

import dev.sluice.engine.pipeline.Problem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Problems of a pipeline text as the API returns them: the fields the CLI prints, one object each. */
final class ProblemsJson {
    private ProblemsJson() {}

    static List<Map<String, Object>> of(List<Problem> problems) {
        return problems.stream().map(ProblemsJson::of).toList();
    }

    private static Map<String, Object> of(Problem p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("line", p.location().line());
        m.put("column", p.location().column());
        m.put("message", p.message());
        m.put("path", p.path());
        m.put("code", p.code());
        m.put("hint", p.hint());
        return m;
    }

    /** The 400 for an invalid pipeline text. */
    static ApiException invalid(List<Problem> problems) {
        String first = problems.isEmpty() ? "" : ": " + problems.get(0).format();
        return new ApiException(400, "invalid", problems.size() + " problem(s) in the pipeline" + first,
                Map.of("errors", of(problems)));
    }
}
