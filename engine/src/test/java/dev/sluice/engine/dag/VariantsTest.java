package dev.sluice.engine.dag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.pipeline.Pipeline;
import dev.sluice.engine.pipeline.Step;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VariantsTest {

    private static Step matrixStep(String id, Map<String, List<Object>> matrix, String... needs) {
        return new Step(id, "echo", List.of(needs), null, null, null, 0, null, null, null, null, matrix, false, null);
    }

    @Test
    void namesAVariantByItsValuesInMatrixOrder() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("c", 0.1);
        values.put("k", 3L);

        assertThat(Variants.taskId("train", values)).isEqualTo("train[c=0.1,k=3]");
        assertThat(Variants.taskId("train", Map.of("c", 1.0))).isEqualTo("train[c=1.0]");
        assertThat(Variants.taskId("train", Map.of())).isEqualTo("train");
    }

    @Test
    void expandsTheCartesianProductInFileOrder() {
        Map<String, List<Object>> matrix = new LinkedHashMap<>();
        matrix.put("c", List.of(0.1, 1.0));
        matrix.put("k", List.of(3L, 5L));
        matrix.put("opt", List.of("adam"));

        List<String> ids = Variants.combinations(matrix).stream().map(v -> Variants.taskId("t", v)).toList();

        assertThat(ids).containsExactly("t[c=0.1,k=3,opt=adam]", "t[c=0.1,k=5,opt=adam]", "t[c=1.0,k=3,opt=adam]",
                "t[c=1.0,k=5,opt=adam]");
    }

    @Test
    void expandsANeedOnAMatrixStepToEveryVariant() {
        Pipeline p = new Pipeline("m", null, null, null, 1, null, List.of(
                Step.of("prep", "echo"),
                matrixStep("train", Map.of("c", List.of(0.1, 1.0, 10.0)), "prep"),
                Step.of("eval", "echo", "train")), null);

        List<Task> tasks = Variants.expand(p);

        assertThat(tasks).extracting(Task::id)
                .containsExactly("prep", "train[c=0.1]", "train[c=1.0]", "train[c=10.0]", "eval");
        assertThat(tasks.get(1).needs()).containsExactly("prep");
        assertThat(tasks.get(1).matrix()).containsExactly(Map.entry("c", 0.1));
        assertThat(tasks.get(1).stepId()).isEqualTo("train");
        assertThat(tasks.get(4).needs()).containsExactly("train[c=0.1]", "train[c=1.0]", "train[c=10.0]");
    }

    @Test
    void crossesTwoMatrixSteps() {
        Pipeline p = new Pipeline("m", null, null, null, 1, null, List.of(
                matrixStep("a", Map.of("x", List.of(1L, 2L))),
                matrixStep("b", Map.of("y", List.of(true, false)), "a")), null);

        List<Task> tasks = Variants.expand(p);

        assertThat(tasks).extracting(Task::id).containsExactly("a[x=1]", "a[x=2]", "b[y=true]", "b[y=false]");
        assertThat(tasks.get(3).needs()).containsExactly("a[x=1]", "a[x=2]");
    }
}
