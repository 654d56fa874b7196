package dev.sluice.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamValuesTest {

    private static final Map<String, Param> DECLARED = declared();

    private static Map<String, Param> declared() {
        Map<String, Param> m = new LinkedHashMap<>();
        m.put("rows", new Param("rows", ParamType.INTEGER, 5000L));
        m.put("min_auc", new Param("min_auc", ParamType.NUMBER, 0.75));
        m.put("tag", new Param("tag", ParamType.STRING, "nightly"));
        m.put("dry", new Param("dry", ParamType.BOOLEAN, false));
        return m;
    }

    @Test
    void refusesAValueTooLargeForAStepsEnvironmentWhenTheRunIsAskedFor() {
        String huge = "x".repeat(1024 * 1024);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ParamValues.resolveJson(DECLARED, Map.of("tag", huge)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("param 'tag' is 1048576 characters long; a param value may have 65536 at most (it is passed to the "
                        + "step in its environment; pass large data as a file)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ParamValues.resolve(DECLARED, Map.of("tag", huge)))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThat(ParamValues.resolveJson(DECLARED, Map.of("tag", "x".repeat(ParamValues.MAX_VALUE_CHARS))))
                .containsKey("tag");
    }

    @Test
    void givesDefaultsInDeclaredOrder() {
        assertThat(ParamValues.resolve(DECLARED, Map.of()))
                .containsExactly(Map.entry("rows", 5000L), Map.entry("min_auc", 0.75), Map.entry("tag", "nightly"),
                        Map.entry("dry", false));
    }

    @Test
    void overridesDefaultsWithTypedValues() {
        Map<String, Object> v = ParamValues.resolve(DECLARED, Map.of("rows", "100", "min_auc", "0.9", "tag", " x ",
                "dry", "TRUE"));

        assertThat(v).containsExactly(Map.entry("rows", 100L), Map.entry("min_auc", 0.9), Map.entry("tag", " x "),
                Map.entry("dry", true));
    }

    @Test
    void takesAnIntegerForANumberParam() {
        assertThat(ParamValues.resolve(DECLARED, Map.of("min_auc", "1")).get("min_auc")).isEqualTo(1.0);
    }

    @Test
    void refusesAnUnknownParamWithASuggestion() {
        assertThatThrownBy(() -> ParamValues.resolve(DECLARED, Map.of("x", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown param 'x'");
        assertThatThrownBy(() -> ParamValues.resolve(DECLARED, Map.of("row", "1")))
                .hasMessage("unknown param 'row' (did you mean 'rows'?)");
        assertThatThrownBy(() -> ParamValues.resolve(Map.of(), Map.of("row", "1")))
                .hasMessage("unknown param 'row' (the pipeline has no params)");
    }

    @Test
    void refusesAValueThatDoesNotFitTheType() {
        assertThatThrownBy(() -> ParamValues.resolve(DECLARED, Map.of("rows", "abc")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("param 'rows' is an integer; got 'abc'");
        assertThatThrownBy(() -> ParamValues.resolve(DECLARED, Map.of("rows", "1.5")))
                .hasMessage("param 'rows' is an integer; got '1.5'");
        assertThatThrownBy(() -> ParamValues.resolve(DECLARED, Map.of("min_auc", "NaN")))
                .hasMessage("param 'min_auc' is a number; got 'NaN'");
        assertThatThrownBy(() -> ParamValues.resolve(DECLARED, Map.of("dry", "yes")))
                .hasMessage("param 'dry' is a boolean (true or false); got 'yes'");
        assertThatThrownBy(() -> ParamValues.resolve(DECLARED, Map.of("rows", "1; rm -rf ~")))
                .hasMessage("param 'rows' is an integer; got '1; rm -rf ~'");
    }

    @Test
    void resolvesJsonValues() {
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("rows", 7);
        given.put("min_auc", 1);
        given.put("tag", "t");
        given.put("dry", true);

        assertThat(ParamValues.resolveJson(DECLARED, given))
                .containsExactly(Map.entry("rows", 7L), Map.entry("min_auc", 1.0), Map.entry("tag", "t"),
                        Map.entry("dry", true));
    }

    @Test
    void readsJsonStringsAsText() {
        assertThat(ParamValues.resolveJson(DECLARED, Map.of("rows", "12", "dry", "false")))
                .containsEntry("rows", 12L).containsEntry("dry", false);
        assertThat(ParamValues.resolveJson(DECLARED, Map.of("rows", 12.0))).containsEntry("rows", 12L);
    }

    @Test
    void refusesJsonValuesOfTheWrongType() {
        assertThatThrownBy(() -> ParamValues.resolveJson(DECLARED, Map.of("rows", 1.5)))
                .hasMessage("param 'rows' is an integer; got 1.5");
        assertThatThrownBy(() -> ParamValues.resolveJson(DECLARED, Map.of("tag", 5)))
                .hasMessage("param 'tag' is a string; got 5");
        assertThatThrownBy(() -> ParamValues.resolveJson(DECLARED, Map.of("dry", 1)))
                .hasMessage("param 'dry' is a boolean (true or false); got 1");
        Map<String, Object> nullValue = new LinkedHashMap<>();
        nullValue.put("rows", null);
        assertThatThrownBy(() -> ParamValues.resolveJson(DECLARED, nullValue))
                .hasMessage("param 'rows' is an integer; got null");
        assertThatThrownBy(() -> ParamValues.resolveJson(DECLARED, Map.of("nope", 1)))
                .hasMessage("unknown param 'nope'");
    }
}
