package dev.sluice.engine.designer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The changes the designer's edit endpoint answers with: small, and the whole value again when applied. */
class DeltaTest {

    @Test
    void aChangedCommandIsOneShortRangeOfTheText() {
        String before = "steps:\n  - id: a\n    run: echo 1\n  - id: b\n    run: echo 2\n";
        String after = before.replace("echo 1", "echo one");
        Map<String, Object> change = Delta.text(before, after);
        assertThat(change).containsEntry("start", before.indexOf("1\n")).containsEntry("text", "one");
        assertThat(Delta.applyText(before, change)).isEqualTo(after);
        assertThat(Delta.applyText("abc", Delta.text("abc", "abc"))).isEqualTo("abc");
        assertThat(Delta.applyText("a😀b", Delta.text("a😀b", "a😁b"))).isEqualTo("a😁b");
    }

    @Test
    void oneStepOfTwoThousandChangedSendsThatStepsFieldOnly() {
        List<Object> steps = new ArrayList<>();
        for (int i = 0; i < 2000; i++) steps.add(step("s" + i, "echo " + i));
        List<Object> changed = new ArrayList<>(steps);
        changed.set(700, step("s700", "echo seven hundred"));
        Map<String, Object> change = Delta.of(Map.of("steps", steps), Map.of("steps", changed));
        assertThat(change.toString()).contains("echo seven hundred").doesNotContain("echo 701").hasSizeLessThan(200);
        assertThat(Delta.of(steps, steps)).isNull();
    }

    @Test
    void anAddedStepIsOneSpliceAndAReorderedMapIsSentWhole() {
        List<Object> steps = List.of(step("a", "x"), step("b", "y"));
        List<Object> more = List.of(step("a", "x"), step("n", "z"), step("b", "y"));
        assertThat(Delta.of(steps, more)).isEqualTo(Map.of("a", List.of(1, 0, List.of(step("n", "z")))));
        Map<String, Object> ab = new LinkedHashMap<>();
        ab.put("a", 1);
        ab.put("b", 2);
        Map<String, Object> ba = new LinkedHashMap<>();
        ba.put("b", 2);
        ba.put("a", 3);
        assertThat(Delta.of(ab, ba)).containsKey("v");
    }

    private static Map<String, Object> step(String id, String run) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("run", run);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", id);
        s.put("fields", fields);
        return s;
    }
}
