package dev.sluice.engine.designer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.designer.Designer.Edited;
import dev.sluice.engine.designer.EditOp.AddStep;
import dev.sluice.engine.designer.EditOp.Connect;
import dev.sluice.engine.designer.EditOp.Disconnect;
import dev.sluice.engine.designer.EditOp.RemoveStep;
import dev.sluice.engine.designer.EditOp.RenameStep;
import dev.sluice.engine.designer.EditOp.SetPipelineField;
import dev.sluice.engine.designer.EditOp.SetStepField;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every valid pipeline the project has (the golden files, the API fixtures, {@code pipelines/})
 * and the designer's own odd ones: no edit gives the same bytes, and each op changes only the
 * lines of what it touched (checked with a line diff), leaving a text that reads back right.
 */
class DesignerRoundTripTest {

    static Stream<Path> files() throws Exception {
        List<Path> files = new ArrayList<>();
        Path resources = Path.of(DesignerRoundTripTest.class.getResource("commented.yaml").toURI()).getParent();
        Path engine = resources.getParent();
        for (Path folder : List.of(resources, engine.resolve("pipeline/valid"), engine.resolve("api/pipelines"),
                Path.of(System.getProperty("user.dir")).resolve("../pipelines").normalize())) {
            assertThat(folder).isDirectory();
            try (Stream<Path> list = Files.list(folder)) {
                // broken.yaml is the API tests' invalid pipeline
                list.filter(p -> p.toString().endsWith(".yaml") && !p.endsWith("broken.yaml")).sorted().forEach(files::add);
            }
        }
        assertThat(files).hasSizeGreaterThan(12);
        return files.stream();
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Edited edit(String text, EditOp... ops) {
        return Designer.edit(text, "p.yaml", List.of(ops), null);
    }

    /** A step of the document as written: id, lines, needs. */
    record StepLines(String id, int line, int endLine, List<String> needs, Set<String> fields) {
        Set<Integer> lines() {
            Set<Integer> s = new TreeSet<>();
            for (int i = line; i <= endLine; i++) s.add(i);
            return s;
        }
    }

    @SuppressWarnings("unchecked")
    /** The lines of the top-level {@code alerts:} block (1-based), if any. */
    static Set<Integer> alertLines(String text) {
        Set<Integer> out = new TreeSet<>();
        List<String> lines = text.lines().toList();
        boolean in = false;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (!l.isEmpty() && !Character.isWhitespace(l.charAt(0)) && !l.startsWith("#")) in = l.startsWith("alerts:");
            if (in) out.add(i + 1);
        }
        return out;
    }

    static List<StepLines> steps(String text) {
        List<StepLines> out = new ArrayList<>();
        for (Map<String, Object> s : (List<Map<String, Object>>) DocumentModel.of(Doc.parse(text)).get("steps")) {
            Object needs = ((Map<String, Object>) s.get("fields")).get("needs");
            List<String> n = needs instanceof List<?> l ? (List<String>) l : needs == null ? List.of() : List.of((String) needs);
            out.add(new StepLines((String) s.get("id"), (Integer) s.get("line"), (Integer) s.get("endLine"), n,
                    ((Map<String, Object>) s.get("fields")).keySet()));
        }
        return out;
    }

    /** Lines of blank-only content in the text (1-based). */
    static Set<Integer> blankLines(String text) {
        Set<Integer> out = new TreeSet<>();
        List<String> lines = LineDiff.lines(text);
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).isBlank()) out.add(i + 1);
        return out;
    }

    @ParameterizedTest
    @MethodSource("files")
    void noEditsGiveTheSameBytesAndAModelWithoutProblems(Path file) {
        String text = read(file);
        Edited e = edit(text);

        assertThat(e.text()).isEqualTo(text);
        assertThat(e.changed()).isFalse();
        assertThat(e.model()).isNotNull();
        assertThat(e.problems()).isEmpty();
        assertThat(e.parsed().pipeline()).isNotNull();
    }

    @ParameterizedTest
    @MethodSource("files")
    void settingAStepFieldChangesOnlyThatStepsLines(Path file) {
        String text = read(file);
        for (StepLines s : steps(text)) {
            Edited e = edit(text, new SetStepField(s.id(), "retries", 3L), new SetStepField(s.id(), "cache_files", List.of("a.sh")));

            assertThat(LineDiff.of(text, e.text()).removed()).as(s.id()).isSubsetOf(s.lines());
            assertThat(e.problems()).as(e.text()).isEmpty();
            assertThat(e.parsed().pipeline().step(s.id()).retries()).isEqualTo(3);
            assertThat(edit(e.text(), new SetStepField(s.id(), "retries", 3L)).changed()).isFalse();

            if (s.fields().contains("cache_files")) continue;
            Edited back = edit(e.text(), new SetStepField(s.id(), "cache_files", null));
            assertThat(back.text()).as("set two, remove one").isEqualTo(edit(text, new SetStepField(s.id(), "retries", 3L)).text());
        }
    }

    @ParameterizedTest
    @MethodSource("files")
    void settingAPipelineFieldChangesOnlyItsLines(Path file) {
        String text = read(file);
        Edited e = edit(text, new SetPipelineField("description", "set by the designer"), new SetPipelineField("concurrency", 3L));

        Set<Integer> removed = LineDiff.of(text, e.text()).removed();
        assertThat(removed.size()).as(e.text()).isLessThanOrEqualTo(2);
        for (int line : removed) assertThat(LineDiff.lines(text).get(line - 1)).matches("(?s)(description|concurrency):.*");
        assertThat(e.parsed().pipeline().description()).isEqualTo("set by the designer");
        assertThat(e.parsed().pipeline().concurrency()).isEqualTo(3);
    }

    @ParameterizedTest
    @MethodSource("files")
    void addingAStepRemovesNoLine(Path file) {
        String text = read(file);
        for (StepLines s : steps(text)) {
            Edited e = edit(text, new AddStep(Map.of("id", "added-step", "run", "echo added", "needs", List.of(s.id())), s.id()));

            assertThat(LineDiff.of(text, e.text()).removed()).as(e.text()).isEmpty();
            assertThat(e.problems()).as(e.text()).isEmpty();
            List<String> ids = steps(e.text()).stream().map(StepLines::id).toList();
            assertThat(ids.get(ids.indexOf(s.id()) + 1)).isEqualTo("added-step");
        }
    }

    @ParameterizedTest
    @MethodSource("files")
    void removingAStepChangesOnlyItsLinesAndTheNeedsOfItsDependents(Path file) {
        String text = read(file);
        List<StepLines> steps = steps(text);
        if (steps.size() < 2) return;
        for (StepLines s : steps) {
            Set<Integer> allowed = new TreeSet<>(s.lines());
            for (StepLines other : steps) if (other.needs().contains(s.id())) allowed.addAll(other.lines());
            allowed.addAll(blankLines(text));

            Edited e = edit(text, new RemoveStep(s.id()));

            assertThat(LineDiff.of(text, e.text()).removed()).as(e.text()).isSubsetOf(allowed);
            assertThat(steps(e.text())).extracting(StepLines::id).doesNotContain(s.id());
            assertThat(steps(e.text())).allSatisfy(o -> assertThat(o.needs()).doesNotContain(s.id()));
        }
    }

    @ParameterizedTest
    @MethodSource("files")
    void renamingAStepChangesOnlyStepLinesAndKeepsTheTextValid(Path file) {
        String text = read(file);
        Set<Integer> stepLines = new TreeSet<>();
        List<StepLines> steps = steps(text);
        for (StepLines s : steps) stepLines.addAll(s.lines());
        stepLines.addAll(alertLines(text)); // alerts name steps in their when and message
        for (StepLines s : steps) {
            Edited e = edit(text, new RenameStep(s.id(), "renamed"));

            // outside the steps, only lines naming the step (an alert's when or message)
            Set<Integer> allowed = new TreeSet<>(stepLines);
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) if (lines[i].contains("steps." + s.id())) allowed.add(i + 1);
            assertThat(LineDiff.of(text, e.text()).removed()).isSubsetOf(allowed);
            assertThat(e.problems()).as(e.text()).isEmpty();
            assertThat(edit(e.text(), new RenameStep("renamed", s.id())).text()).isEqualTo(text);
        }
    }

    @ParameterizedTest
    @MethodSource("files")
    void connectingAndDisconnectingChangeOnlyTheTargetsLines(Path file) {
        String text = read(file);
        List<StepLines> steps = steps(text);
        for (int i = 0; i < steps.size(); i++) {
            for (int j = i + 1; j < steps.size(); j++) {
                StepLines from = steps.get(i);
                StepLines to = steps.get(j);
                boolean had = to.needs().contains(from.id());
                EditOp op = had ? new Disconnect(from.id(), to.id()) : new Connect(from.id(), to.id());
                EditOp undo = had ? new Connect(from.id(), to.id()) : new Disconnect(from.id(), to.id());

                Edited e;
                try {
                    e = edit(text, op);
                } catch (EditRefused refused) {
                    assertThat(refused.code()).isEqualTo("cycle"); // a later step may be upstream of an earlier one
                    continue;
                }
                assertThat(LineDiff.of(text, e.text()).removed()).as(e.text()).isSubsetOf(to.lines());
                StepLines after = steps(e.text()).get(j);
                assertThat(after.needs().contains(from.id())).isEqualTo(!had);
                if (!had) assertThat(edit(e.text(), undo).text()).as("connect then disconnect").isEqualTo(text);
            }
        }
    }
}
