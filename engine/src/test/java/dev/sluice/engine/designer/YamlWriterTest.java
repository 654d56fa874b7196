package dev.sluice.engine.designer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How new YAML is written: as a person writes it, and always reading back as the value given. */
class YamlWriterTest {

    private final YamlWriter w = new YamlWriter(2, "\n");

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void writesShortListsOfScalarsInFlowStyleAndLongOnesOneItemALine() {
        assertThat(w.entry("outputs", List.of("a.csv", "b.csv"), 0, SpecOrder.FREE)).isEqualTo("outputs: [a.csv, b.csv]\n");
        List<String> many = List.of("training/train.py", "training/model.py", "training/step.py", "more/files.py");
        assertThat(w.entry("cache_files", many, 0, SpecOrder.FREE)).isEqualTo("""
                cache_files:
                  - training/train.py
                  - training/model.py
                  - training/step.py
                  - more/files.py
                """);
        assertThat(w.entry("labels", List.of(), 2, SpecOrder.FREE)).isEqualTo("  labels: []\n");
        assertThat(w.entry("needs", List.of("a,b", "c"), 0, SpecOrder.FREE)).isEqualTo("needs: [\"a,b\", c]\n");
    }

    @Test
    void writesMultiLineStringsAsLiteralBlocksWithTheRightChomping() {
        assertThat(w.entry("run", "echo a\necho b\n", 0, SpecOrder.FREE)).isEqualTo("run: |\n  echo a\n  echo b\n");
        assertThat(w.entry("run", "echo a\necho b", 0, SpecOrder.FREE)).isEqualTo("run: |-\n  echo a\n  echo b\n");
        assertThat(w.entry("run", "a\n\n", 0, SpecOrder.FREE)).isEqualTo("run: |+\n  a\n\n");
        assertThat(w.entry("run", "  indented\nnext", 0, SpecOrder.FREE)).isEqualTo("run: |2-\n    indented\n  next\n");
    }

    @Test
    void writesNestedMappingsInBlockStyleWithKeysInSpecOrder() {
        Map<String, Object> pipeline = map("steps", List.of(map("run", "x", "id", "a", "worker", map("labels", List.of("gpu")))),
                "schedule", map("timezone", "Europe/Paris", "cron", "*/5 * * * *"), "name", "p", "env", map());

        assertThat(w.mapping(pipeline, 0, SpecOrder.PIPELINE)).isEqualTo("""
                name: p
                schedule:
                  cron: "*/5 * * * *"
                  timezone: Europe/Paris
                env: {}
                steps:
                  - id: a
                    run: x
                    worker:
                      labels: [gpu]
                """);
    }

    @Test
    void everyValueWrittenReadsBackAsTheSameValue() throws Exception {
        Map<String, Object> values = map("plain", "hello world", "number-like", "1.0", "int-like", "42", "bool-like", "false",
                "null-like", "~", "empty", "", "colon", "a: b", "hash", "a #b", "dash", "- x", "quote", "\"q\"", "single", "'s'",
                "tab", "a\tb", "cr", "a\rb", "unicode", "żółw 🐢", "expr", "${{ steps.a.metrics.auc >= params.min }}",
                "at", "@daily", "star", "*.csv", "bang", "!x", "pct", "%x", "amp", "&x", "brace", "{x}", "bracket", "[x]",
                "backslash", "a\\b", "trailing", "x ", "leading", " x", "hex", "0x1F", "octal", "0o17", "exp", "1e3",
                "inf", ".inf", "date", "2024-01-01", "time", "12:30", "list", List.of("a b", "1", "true", "x:y", "[z]"),
                "n", 12L, "d", 0.5, "t", true);
        String text = w.mapping(values, 0, SpecOrder.FREE);

        Object back = new ObjectMapper(new YAMLFactory()).readValue(text, Object.class);
        Map<String, Object> expected = new LinkedHashMap<>(values);
        expected.put("n", 12);
        assertThat(back).as(text).isEqualTo(expected);
        @SuppressWarnings("unchecked")
        Map<String, Object> model = (Map<String, Object>) Scalars.value(Doc.parse(text).root);
        assertThat(model).as(text).isEqualTo(values);
    }
}
