package dev.sluice.engine.pipeline;

import java.util.List;

/**
 * What reading a pipeline text gave: a pipeline when there were no problems, otherwise every
 * problem found (sorted by location). Never both a pipeline and problems.
 */
public record ParseResult(Pipeline pipeline, List<Problem> problems) {
    public ParseResult {
        problems = problems.stream().sorted().toList();
        if (pipeline != null && !problems.isEmpty()) throw new IllegalArgumentException("pipeline with problems");
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
