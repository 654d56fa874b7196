package dev.sluice.engine.designer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.engine.designer.Designer.Edited;
import dev.sluice.engine.designer.EditOp.AddStep;
import dev.sluice.engine.designer.EditOp.Connect;
import dev.sluice.engine.designer.EditOp.Disconnect;
import dev.sluice.engine.designer.EditOp.RemoveStep;
import dev.sluice.engine.designer.EditOp.RenameStep;
import dev.sluice.engine.designer.EditOp.SetPipelineField;
import dev.sluice.engine.designer.EditOp.SetStepField;
import dev.sluice.engine.pipeline.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Edits on chosen texts: what each op writes, what it keeps, what it refuses. */
class DesignerEditTest {

    static String fixture(String name) {
        try {
            return Files.readString(Path.of(DesignerEditTest.class.getResource(name).toURI()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Edited edit(String text, EditOp... ops) {
        return Designer.edit(text, "p.yaml", List.of(ops), null);
    }

    static Map<String, Object> step(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    private static final String THREE = """
            name: three
            steps:
              - id: a
                run: echo a
              - id: b
                needs: [a]
                run: echo b
              - id: c
                needs: [b]
                run: echo c
            """;

    @Test
    void buildsTheEtlExampleFromAnEmptyTextAsAPersonWouldWriteIt() {
        Edited e = edit("",
                new SetPipelineField("name", "etl"),
                new SetPipelineField("description", "Orders export to a SQLite revenue table, with a data-quality gate"),
                new AddStep(step("id", "extract", "run", "python3 etl/extract.py --rows ${{ params.rows }}",
                        "outputs", List.of("raw.csv")), null),
                new AddStep(step("id", "validate", "run", "python3 etl/validate.py", "outputs", List.of("orders.csv")), null),
                new Connect("extract", "validate"),
                new AddStep(step("id", "transform", "run", "python3 etl/transform.py"), null),
                new Connect("validate", "transform"),
                new SetStepField("transform", "outputs", List.of("revenue.csv")),
                new AddStep(step("outputs", List.of("warehouse.sqlite"), "run", "python3 etl/load.py --table ${{ params.table }}",
                        "needs", List.of("transform"), "id", "load"), null),
                new SetPipelineField("env", Map.of("PYTHONUNBUFFERED", "1")),
                new SetPipelineField("params", step("rows", 1000L, "table", "revenue")),
                new SetStepField("extract", "retry_delay", "2s"),
                new SetStepField("extract", "retries", 2L),
                new SetPipelineField("defaults", Map.of("timeout", "2m")));

        assertThat(e.text()).isEqualTo(fixture("etl-built.yaml"));
        assertThat(e.problems()).isEmpty();
        assertThat(e.parsed().pipeline().steps()).hasSize(4);
    }

    @Test
    void writesTheSameTextForTheSameModelWhateverTheOrderOfTheFieldsGiven() {
        Edited one = edit("", new SetPipelineField("name", "x"),
                new AddStep(step("id", "a", "run", "echo", "retries", 1L, "needs", List.of()), null));
        Edited two = edit("", new AddStep(step("retries", 1L, "run", "echo", "id", "a"), null),
                new SetPipelineField("name", "x"));

        assertThat(one.text()).isEqualTo(two.text()).isEqualTo("""
                name: x
                steps:
                  - id: a
                    run: echo
                    retries: 1
                """);
    }

    @Test
    void noEditsGivesTheTextBackUnchanged() {
        String text = fixture("commented.yaml");
        Edited e = edit(text);

        assertThat(e.text()).isEqualTo(text);
        assertThat(e.changed()).isFalse();
    }

    @Test
    void anEditThatChangesNothingGivesTheSameText() {
        Edited e = edit(THREE, new Connect("a", "b"), new Disconnect("a", "c"), new RenameStep("a", "a"));

        assertThat(e.text()).isEqualTo(THREE);
        assertThat(e.changed()).isFalse();
    }

    @Test
    void refusesAnEdgeThatMakesACycleNamingIt() {
        assertThatThrownBy(() -> edit(THREE, new Connect("c", "a")))
                .isInstanceOfSatisfying(EditRefused.class, r -> {
                    assertThat(r.status()).isEqualTo(409);
                    assertThat(r.code()).isEqualTo("cycle");
                    assertThat(r.op()).isZero();
                    assertThat(r.getMessage()).contains("c -> a -> b -> c");
                });
        assertThatThrownBy(() -> edit(THREE, new Connect("a", "a")))
                .isInstanceOfSatisfying(EditRefused.class, r -> assertThat(r.getMessage()).contains("a -> a"));
        assertThatThrownBy(() -> edit(THREE, new SetStepField("a", "needs", List.of("c"))))
                .isInstanceOfSatisfying(EditRefused.class, r -> assertThat(r.code()).isEqualTo("cycle"));
    }

    @Test
    void refusesUnknownStepsDuplicateIdsBadIdsAndBadFieldsSayingWhichEdit() {
        assertRefused(() -> edit(THREE, new Connect("a", "b"), new RemoveStep("zz")), "unknown-step", 1);
        assertRefused(() -> edit(THREE, new AddStep(step("id", "a", "run", "x"), null)), "duplicate-id", 0);
        assertRefused(() -> edit(THREE, new RenameStep("a", "b")), "duplicate-id", 0);
        assertRefused(() -> edit(THREE, new RenameStep("a", "Bad Id")), "bad-id", 0);
        assertRefused(() -> edit(THREE, new AddStep(step("id", "-x", "run", "x"), null)), "bad-id", 0);
        assertRefused(() -> edit(THREE, new SetStepField("a", "command", "x")), "bad-field", 0);
        assertRefused(() -> edit(THREE, new SetStepField("a", "id", "x")), "bad-field", 0);
        assertRefused(() -> edit(THREE, new AddStep(step("id", "d", "command", "x"), null)), "bad-field", 0);
        assertRefused(() -> edit(THREE, new SetPipelineField("steps", List.of())), "bad-field", 0);
        assertRefused(() -> edit(THREE, new AddStep(step("id", "d", "run", "x"), "nope")), "unknown-step", 0);
        assertRefused(() -> edit(THREE, new AddStep(step("id", "d", "run", "x", "needs", List.of("nope")), null)), "unknown-step", 0);
        assertRefused(() -> edit("name: [unclosed\n", new SetPipelineField("name", "x")), "unparsable", 0);
        assertRefused(() -> edit("- a\n- b\n", new SetPipelineField("name", "x")), "not-a-mapping", 0);
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String code, int op) {
        assertThatThrownBy(call).isInstanceOfSatisfying(EditRefused.class, r -> {
            assertThat(r.code()).isEqualTo(code);
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.op()).isEqualTo(op);
            // which edit is in op (the API's "op" field), not in the message a person reads
            assertThat(r.getMessage()).doesNotStartWith("edit ");
        });
    }

    @Test
    void renameUpdatesNeedsAndExpressionsAndNothingElse() {
        String text = fixture("commented.yaml");
        Edited e = edit(text, new RenameStep("clean", "tidy"));

        assertThat(e.text()).isEqualTo(text
                .replace("- id: clean    # cleans", "- id: tidy    # cleans")
                .replace("      - clean      # block list", "      - tidy      # block list")
                .replace("steps.clean.status", "steps.tidy.status")
                .replace("steps[\"clean\"].status", "steps[\"tidy\"].status"));
        assertThat(e.text()).contains("python3 clean.py").contains("# train waits for clean");
        assertThat(e.problems()).isEmpty();
    }

    @Test
    void renameTouchesOnlyReferencesInsideExpressionsOfRunAndEnv() {
        String text = """
                name: r
                steps:
                  - id: load
                    run: echo steps.load ${{ steps.load-x }}
                  - id: use
                    needs: load
                    if: steps.load.status == "SUCCEEDED" && steps.loader.status == "X"
                    run: echo steps.load.txt ${{ steps.load.metrics.n }} ${{ steps['load'].status }}
                """;
        Edited e = edit(text, new RenameStep("load", "fetch"));

        assertThat(e.text()).isEqualTo("""
                name: r
                steps:
                  - id: fetch
                    run: echo steps.load ${{ steps.load-x }}
                  - id: use
                    needs: fetch
                    if: steps.fetch.status == "SUCCEEDED" && steps.loader.status == "X"
                    run: echo steps.load.txt ${{ steps.fetch.metrics.n }} ${{ steps['fetch'].status }}
                """);
    }

    @Test
    void removeStepDropsItFromEveryNeedsAndTakesItsBlankLine() {
        String text = fixture("commented.yaml");
        Edited e = edit(text, new RemoveStep("clean"));

        String expected = text.replace("""
                  - id: clean    # cleans
                    needs: [extract]
                    run: |
                      python3 clean.py \\
                        --in raw.csv
                      echo done

                    retries:   2

                """, "").replace("""
                    needs:
                      - clean      # block list
                      - extract
                """, """
                    needs:
                      - extract
                """);
        assertThat(e.text()).isEqualTo(expected);
    }

    @Test
    void connectAndDisconnectKeepTheFormOfNeeds() {
        String text = fixture("crlf-four-spaces.yaml");

        Edited connected = edit(text, new Connect("a", "2"));
        assertThat(connected.text()).isEqualTo(text.replace("    needs:\r\n    - b\r\n", "    needs:\r\n    - b\r\n    - a\r\n"));

        Edited renamed = edit(text, new RenameStep("b", "bee"));
        assertThat(renamed.text()).isEqualTo(text.replace("id: b\r\n", "id: bee\r\n").replace("    - b\r\n", "    - bee\r\n"));

        Edited scalar = edit(text, new RenameStep("a", "x"));
        assertThat(scalar.text()).isEqualTo(text.replace("id: a\r\n", "id: x\r\n").replace("needs: a\r\n", "needs: x\r\n"));

        Edited disconnected = edit(text, new Disconnect("a", "b"));
        assertThat(disconnected.text()).isEqualTo(text.replace("    needs: a\r\n", ""));

        Edited flow = edit(fixture("commented.yaml"), new Connect("extract", "report"), new Disconnect("clean", "train"));
        assertThat(flow.text()).contains("  - {id: report, needs: [train, extract], run: echo report}\n")
                .contains("    needs:\n      - extract\n    if:");
    }

    @Test
    void newLinesFollowTheFilesIndentationAndLineBreaks() {
        String text = fixture("crlf-four-spaces.yaml");
        Edited e = edit(text, new SetStepField("a", "env", Map.of("K", "v")),
                new AddStep(step("id", "c", "run", "echo c"), "a"));

        assertThat(e.text()).isEqualTo(text
                .replace("        text\r\n", "        text\r\n    env:\r\n        K: v\r\n-   id: c\r\n    run: echo c\r\n"));
        assertThat(e.problems()).isEmpty();
    }

    @Test
    void aFlowStyleStepIsWrittenAgainWholeInFlowStyle() {
        Edited e = edit(fixture("commented.yaml"), new SetStepField("report", "retries", 3L));

        assertThat(e.text()).contains("  - {id: report, needs: [train], run: echo report, retries: 3}\n# the end\n");
    }

    @Test
    void setStepFieldReplacesOnlyTheValueKeepingTheCommentAfterIt() {
        String text = fixture("commented.yaml");

        Edited e = edit(text, new SetStepField("extract", "run", "python3 extract.py"));
        assertThat(e.text()).isEqualTo(text.replace("run: python3 extract.py --rows ${{ params.rows }}   # trailing comment",
                "run: python3 extract.py   # trailing comment"));

        Edited multi = edit(text, new SetStepField("clean", "run", "one\ntwo\n"));
        assertThat(multi.text()).isEqualTo(text.replace("""
                    run: |
                      python3 clean.py \\
                        --in raw.csv
                      echo done
                """, """
                    run: |
                      one
                      two
                """));

        Edited removed = edit(text, new SetStepField("clean", "retries", null));
        assertThat(removed.text()).isEqualTo(text.replace("    retries:   2\n", ""));
    }

    @Test
    void newKeysGoInSpecOrderAmongTheOthers() {
        Edited e = edit(THREE, new SetStepField("b", "if", "${{ params.go }}"), new SetStepField("b", "timeout", "5m"),
                new SetPipelineField("description", "d"), new SetPipelineField("concurrency", 1L));

        assertThat(e.text()).isEqualTo("""
                name: three
                description: d
                concurrency: 1
                steps:
                  - id: a
                    run: echo a
                  - id: b
                    needs: [a]
                    if: ${{ params.go }}
                    run: echo b
                    timeout: 5m
                  - id: c
                    needs: [b]
                    run: echo c
                """);
    }

    @Test
    void quotesOnlyWhatWouldReadBackAsSomethingElse() {
        Edited e = edit("name: q\n", new SetPipelineField("params", step("a", "1", "b", "true", "c", "plain text",
                "d", "@daily", "e", "x: y", "f", "", "g", 1.5, "h", false, "i", "*.csv", "j", "null")));

        assertThat(e.text()).isEqualTo("""
                name: q
                params:
                  a: "1"
                  b: "true"
                  c: plain text
                  d: "@daily"
                  e: "x: y"
                  f: ""
                  g: 1.5
                  h: false
                  i: "*.csv"
                  j: "null"
                """);
    }

    @Test
    void modelIsTheDocumentAsWrittenWithStepLines() {
        Edited e = edit(fixture("commented.yaml"));

        Map<String, Object> model = e.model();
        assertThat(model.get("name")).isEqualTo("commented");
        assertThat(model.get("params")).isEqualTo(Map.of("rows", 5000L, "label", "it's"));
        assertThat(model.get("schedule")).isNull();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) model.get("steps");
        assertThat(steps).extracting(s -> s.get("id")).containsExactly("extract", "clean", "train", "report");
        assertThat(steps.get(1)).containsEntry("line", 16).containsEntry("endLine", 23);
        assertThat(steps.get(1).get("fields")).isEqualTo(step("needs", List.of("extract"),
                "run", "python3 clean.py \\\n  --in raw.csv\necho done\n", "retries", 2L));
        assertThat(steps.get(3)).containsEntry("line", 35).containsEntry("endLine", 35);
    }

    @Test
    void problemsNameTheStepTheirPathPointsInto() {
        Edited e = edit(THREE, new SetStepField("b", "retries", "many"));

        assertThat(e.problems()).extracting(Problem::path).containsExactly("steps[1].retries");
        assertThat(e.problemSteps()).containsExactly("b");
        assertThat(e.parsed().pipeline()).isNull();
    }

    @Test
    void aTextThatIsNotYamlHasNoModelAndOneProblem() {
        Edited e = edit("name: [x\n");

        assertThat(e.model()).isNull();
        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0).code()).isEqualTo("yaml");
    }

    @Test
    void removingTheLastStepLeavesAnEmptyList() {
        Edited e = edit("name: one\nsteps:\n  - id: a\n    run: x\n", new RemoveStep("a"));

        assertThat(e.text()).isEqualTo("name: one\nsteps: []\n");
    }

    @Test
    void addsAStepToAnEmptyListAsABlock() {
        Edited e = edit("name: one   # n\nsteps: []   # none yet\n", new AddStep(step("id", "a", "run", "x"), null));

        assertThat(e.text()).isEqualTo("name: one   # n\nsteps:\n  - id: a\n    run: x   # none yet\n");
    }

    @Test
    void keepsCommentsAndAddsAfterATextWithoutAFinalLineBreak() {
        Edited e = edit("# just a comment", new SetPipelineField("name", "x"));
        assertThat(e.text()).isEqualTo("# just a comment\nname: x\n");

        Edited f = edit("name: x\nsteps:\n  - id: a\n    run: x", new AddStep(step("id", "b", "run", "y"), null));
        assertThat(f.text()).isEqualTo("name: x\nsteps:\n  - id: a\n    run: x\n  - id: b\n    run: y\n");
    }
}
