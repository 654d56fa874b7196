package dev.sluice.engine.designer;

import dev.sluice.engine.pipeline.ParseResult;
import dev.sluice.engine.pipeline.PipelineLoader;
import dev.sluice.engine.pipeline.Problem;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * What the designer's editing endpoint does: apply edits to a text, then read the result as the
 * document as written (for the panels) and as a pipeline (problems, and the plan when valid).
 */
public final class Designer {

    private static final Pattern STEP_PATH = Pattern.compile("^steps\\[(\\d+)]");

    private Designer() {
    }

    /**
     * The outcome of an edit.
     *
     * @param model        the document as written; null when the text is not YAML (the problems say why)
     * @param problems     every problem of the new text, as {@code POST /api/validate} gives them
     * @param problemSteps for each problem, the id of the step its path points into, or null
     * @param parsed       the new text read as a pipeline (its pipeline present only when valid)
     */
    public record Edited(String text, boolean changed, Map<String, Object> model, List<Problem> problems,
            List<String> problemSteps, ParseResult parsed) {
    }

    /**
     * @param file    how problems name the file
     * @param baseDir the folder step workdirs are relative to
     * @throws EditRefused when an edit does not fit the text (nothing is changed)
     */
    public static Edited edit(String text, String file, List<EditOp> edits, Path baseDir) {
        String next = Editor.apply(text, edits);
        ParseResult parsed = PipelineLoader.parse(file, next, baseDir);
        Map<String, Object> model = null;
        List<String> ids = List.of();
        if (!next.isBlank()) {
            try {
                Doc d = Doc.parse(next);
                if (d.root == null || d.rootMap() != null) {
                    model = DocumentModel.of(d);
                    ids = DocumentModel.stepIds(d);
                }
            } catch (YAMLException e) {
                model = null;
            }
        } else {
            model = DocumentModel.of(Doc.parse(""));
        }
        List<String> finalIds = ids;
        List<String> steps = parsed.problems().stream().map(p -> stepOf(p, finalIds)).toList();
        return new Edited(next, !next.equals(text), model, parsed.problems(), steps, parsed);
    }

    private static String stepOf(Problem p, List<String> ids) {
        Matcher m = STEP_PATH.matcher(p.path() == null ? "" : p.path());
        if (!m.find()) return null;
        try {
            int i = Integer.parseInt(m.group(1));
            return i < ids.size() ? ids.get(i) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
