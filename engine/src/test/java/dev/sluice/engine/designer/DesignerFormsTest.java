package dev.sluice.engine.designer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.designer.Designer.Edited;
import dev.sluice.engine.designer.EditOp.SetPipelineField;
import dev.sluice.engine.designer.EditOp.SetStepField;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The forms send a whole field (all params, the whole matrix, env, schedule) each time: on copies
 * of {@code pipelines/etl.yaml} and {@code pipelines/training.yaml}, sending the value as it is
 * gives the same bytes back, and changing one entry changes only its line, comments, quoting and
 * number spelling ({@code 1.0}) of the others kept.
 */
class DesignerFormsTest {

    static String fixture(String name) {
        return DesignerEditTest.fixture("forms/" + name);
    }

    static Edited edit(String text, EditOp... ops) {
        return Designer.edit(text, "p.yaml", List.of(ops), null);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> field(String text, String name) {
        return new LinkedHashMap<>((Map<String, Object>) DocumentModel.of(Doc.parse(text)).get(name));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> stepField(String text, String id, String name) {
        for (Map<String, Object> s : (List<Map<String, Object>>) DocumentModel.of(Doc.parse(text)).get("steps")) {
            if (id.equals(s.get("id"))) return new LinkedHashMap<>((Map<String, Object>) ((Map<String, Object>) s.get("fields")).get(name));
        }
        throw new AssertionError(id);
    }

    /** The value as the browser sends it back: JSON numbers lose their spelling (1.0 becomes 1). */
    @SuppressWarnings("unchecked")
    static Object asBrowserSends(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && !d.isInfinite()) return d.longValue();
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) m).forEach((k, x) -> out.put(k, asBrowserSends(x)));
            return out;
        }
        if (v instanceof List<?> l) return l.stream().map(DesignerFormsTest::asBrowserSends).toList();
        return v;
    }

    @ParameterizedTest
    @ValueSource(strings = {"etl.yaml", "training.yaml"})
    void sendingEveryFormsValueUnchangedGivesTheSameBytes(String file) {
        String text = fixture(file);
        for (String f : List.of("params", "env", "defaults")) {
            Edited e = edit(text, new SetPipelineField(f, asBrowserSends(field(text, f))));
            assertThat(e.text()).as(f).isEqualTo(text);
            assertThat(e.changed()).as(f).isFalse();
        }
        if (file.equals("training.yaml")) {
            Edited e = edit(text, new SetStepField("train", "matrix", asBrowserSends(stepField(text, "train", "matrix"))));
            assertThat(e.text()).isEqualTo(text);
            assertThat(e.changed()).isFalse();
        }
    }

    @Test
    void changingOneParamChangesOnlyItsLineKeepingTheCommentsOfTheOthers() {
        String text = fixture("etl.yaml");
        Map<String, Object> params = field(text, "params");
        params.put("rows", 5000L);
        Edited e = edit(text, new SetPipelineField("params", params));

        assertThat(e.text()).isEqualTo(text.replace("  rows: 1000          # orders", "  rows: 5000          # orders"));
        assertThat(e.changed()).isTrue();
        assertThat(e.text()).contains("  seed: 42            # same seed", "  corrupt: false      # true:");
    }

    @Test
    void addingAndRemovingAParamTouchesOnlyTheirLines() {
        String text = fixture("etl.yaml");
        Map<String, Object> params = field(text, "params");
        params.remove("corrupt");
        params.put("region", "eu-west");
        Edited e = edit(text, new SetPipelineField("params", params));

        LineDiff diff = LineDiff.of(text, e.text());
        assertThat(diff.removed()).hasSize(1);
        assertThat(diff.added()).containsExactly("  region: eu-west\n");
        assertThat(e.text()).contains("  table: revenue      # table name");
    }

    @Test
    void changingOneMatrixValueKeepsTheSpellingOfTheOthers() {
        String text = fixture("training.yaml");
        Edited e = edit(text, new SetStepField("train", "matrix", Map.of("l2", List.of(0.01, 0.5, 1L))));

        assertThat(e.text()).isEqualTo(text.replace("      l2: [0.01, 0.1, 1.0]", "      l2: [0.01, 0.5, 1.0]"));
    }

    @Test
    void aNumberTypedWithItsSpellingIsWrittenSo() {
        String text = fixture("training.yaml");
        Map<String, Object> m = Map.of("l2", List.of(0.01, 0.1, 1L, new YamlWriter.Raw("10.0")));
        Edited e = edit(text, new SetStepField("train", "matrix", m));

        assertThat(e.text()).isEqualTo(text.replace("      l2: [0.01, 0.1, 1.0]", "      l2: [0.01, 0.1, 1.0, 10.0]"));
        assertThat(EditOps.java(com.fasterxml.jackson.databind.json.JsonMapper.builder().build()
                .createObjectNode().put("$number", "1.0"))).isEqualTo(new YamlWriter.Raw("1.0"));
    }

    @Test
    void aBlockListOfTheSameLengthChangesItemByItem() {
        String text = """
                name: p
                steps:
                  - id: a
                    run: echo ${{ matrix.x }}
                    matrix:
                      x:
                        - 1.0     # one
                        - 2.0     # two
                """;
        Edited e = edit(text, new SetStepField("a", "matrix", Map.of("x", List.of(1L, 3L))));

        assertThat(e.text()).isEqualTo(text.replace("- 2.0     # two", "- 3     # two"));
    }

    @Test
    void changingTheScheduleKeepsItsOtherLinesAndTheirComments() {
        String text = fixture("etl.yaml").replace("defaults:\n", """
                schedule:
                  cron: "0 3 * * *"     # every night
                  timezone: Europe/Paris  # the team's
                defaults:
                """);
        Edited same = edit(text, new SetPipelineField("schedule", Map.of("cron", "0 3 * * *", "timezone", "Europe/Paris")));
        assertThat(same.text()).isEqualTo(text);
        assertThat(same.changed()).isFalse();

        Edited e = edit(text, new SetPipelineField("schedule", Map.of("cron", "30 4 * * *", "timezone", "Europe/Paris")));
        assertThat(e.text()).isEqualTo(text.replace("\"0 3 * * *\"     # every", "\"30 4 * * *\"     # every"));

        Map<String, Object> withCatchup = new LinkedHashMap<>(Map.of("cron", "0 3 * * *", "timezone", "Europe/Paris"));
        withCatchup.put("catchup", true);
        Edited c = edit(text, new SetPipelineField("schedule", withCatchup));
        assertThat(LineDiff.of(text, c.text()).removed()).isEmpty();
        assertThat(LineDiff.of(text, c.text()).added()).containsExactly("  catchup: true\n");
    }

    @Test
    void changingOneEnvValueKeepsTheQuotingOfTheOthers() {
        String text = fixture("training.yaml");
        Map<String, Object> env = field(text, "env");
        env.put("PYTHONUNBUFFERED", "0");
        Edited e = edit(text, new SetPipelineField("env", env));

        assertThat(e.text()).isEqualTo(text.replace("PYTHONUNBUFFERED: \"1\"", "PYTHONUNBUFFERED: \"0\""));
    }
}
