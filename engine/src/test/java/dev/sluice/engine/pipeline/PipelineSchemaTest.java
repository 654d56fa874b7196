package dev.sluice.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * pipeline.schema.json (what editors check with) against Sluice's own validation, on every pipeline
 * fixture of the engine's tests: a file Sluice accepts, the schema accepts; each unknown key, wrong
 * type or missing key Sluice reports, the schema reports at the same place; and the schema reports
 * nothing where Sluice sees no problem. (The schema cannot check what needs code: expressions,
 * cycles, cron, timezones; Sluice reports those alone.)
 */
class PipelineSchemaTest {

    /** Problems of the YAML itself (found before any binding): a JSON Schema never sees them. */
    private static final Set<String> YAML_LEVEL = Set.of("yaml", "anchor", "alias", "tag", "duplicate-key", "too-deep",
            "too-large", "empty", "unreadable", "encoding", "too-many-problems");
    private static final Set<String> STRUCTURAL = Set.of("unknown-key", "wrong-type", "required", "empty-steps");
    private static final Path FIXTURES = Path.of("src/test/resources");
    private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]\"]+)|\\[(\\d+)]|\\[\"((?:[^\"\\\\]|\\\\.)*)\"]");

    private final Schema schema = schema();

    static Schema schema() {
        try (InputStream in = PipelineSchemaTest.class.getResourceAsStream(PipelineSchema.RESOURCE)) {
            assertThat(in).as(PipelineSchema.RESOURCE).isNotNull();
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void agreesWithSluiceOnEveryFixture() throws IOException {
        List<Path> fixtures;
        try (Stream<Path> files = Files.walk(FIXTURES)) {
            fixtures = files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
        }
        List<String> disagreements = new ArrayList<>();
        int compared = 0, valid = 0, structural = 0;
        for (Path f : fixtures) {
            ParseResult sluice = PipelineLoader.load(f);
            if (sluice.problems().stream().anyMatch(p -> YAML_LEVEL.contains(p.code()))) continue;
            List<Error> errors;
            try {
                errors = schema.validate(Files.readString(f, StandardCharsets.UTF_8), InputFormat.YAML);
            } catch (RuntimeException unreadable) { // e.g. two documents: no single tree to check
                if (sluice.problems().isEmpty()) disagreements.add(f + ": Sluice accepts it, the schema cannot read it: " + unreadable);
                continue;
            }
            compared++;
            if (sluice.problems().isEmpty()) {
                valid++;
                if (!errors.isEmpty()) disagreements.add(f + ": Sluice accepts it, the schema says " + errors);
                continue;
            }
            for (Problem p : sluice.problems()) {
                if (!STRUCTURAL.contains(p.code())) continue;
                structural++;
                if (errors.stream().noneMatch(e -> covers(e, p))) {
                    disagreements.add(f + ": the schema misses " + p.code() + " at " + p.path() + " (" + p.message() + "); it says " + errors);
                }
            }
            for (Error e : errors) {
                if (sluice.problems().stream().noneMatch(p -> near(e, p))) {
                    disagreements.add(f + ": the schema reports " + e + " where Sluice sees no problem");
                }
            }
        }
        assertThat(disagreements).isEmpty();
        assertThat(compared).as("fixtures compared").isGreaterThan(30);
        assertThat(valid).as("valid fixtures compared").isGreaterThan(15);
        assertThat(structural).as("structural problems compared").isGreaterThan(20);
    }

    @Test
    void flagsAMisspeltStepKeyAsUnknown() {
        String yaml = """
                name: typo
                steps:
                  - id: train
                    run: python3 train.py
                    retires: 2
                """;
        assertThat(PipelineLoader.parse("typo.yaml", yaml, Path.of(".")).problems())
                .extracting(Problem::message).containsExactly("unknown key 'retires'");
        List<Error> errors = schema.validate(yaml, InputFormat.YAML);
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).getKeyword()).isEqualTo("additionalProperties");
        assertThat(errors.get(0).getProperty()).isEqualTo("retires");
        assertThat(errors.get(0).getInstanceLocation().toString()).isEqualTo("/steps/0");
    }

    @Test
    void knowsTheV11Keys() {
        String yaml = """
                name: scoring
                triggers:
                  - model: heart-disease@champion
                  - pipeline: heart-disease-training
                    status: [SUCCEEDED, FAILED]
                alerts:
                  - when: failed
                    notify: [oncall]
                  - when: ${{ steps.drift.metrics.psi_max > 0.2 }}
                    severity: critical
                    message: "drift"
                    notify: oncall
                    trigger: heart-disease-training
                steps:
                  - id: score
                    models: { clf: heart-disease@champion, old: "heart-disease:3" }
                    run: python3 score.py --model $SLUICE_MODELS/clf
                  - id: register
                    needs: [score]
                    register:
                      model: heart-disease
                      from: score/model.json
                      metrics: [auc]
                      aliases: [candidate]
                      promote: { alias: champion, if: "${{ new.metrics.auc > current.metrics.auc }}" }
                """;
        assertThat(schema.validate(yaml, InputFormat.YAML)).isEmpty();
        String both = yaml.replace("    register:\n", "    run: echo\n    register:\n");
        assertThat(schema.validate(both, InputFormat.YAML)).isNotEmpty();
        String neither = "name: x\nsteps:\n  - id: a\n    needs: [b]\n";
        assertThat(schema.validate(neither, InputFormat.YAML)).extracting(Error::getProperty).contains("run");
        String badSeverity = yaml.replace("severity: critical", "severity: urgent");
        assertThat(schema.validate(badSeverity, InputFormat.YAML)).isNotEmpty();
    }

    @Test
    void docsCopyIsTheSameAsTheServedOne() throws IOException {
        try (InputStream in = PipelineSchemaTest.class.getResourceAsStream(PipelineSchema.RESOURCE)) {
            assertThat(Files.readString(Path.of("../docs/pipeline.schema.json")))
                    .as("docs/pipeline.schema.json must be a copy of engine/src/main/resources" + PipelineSchema.RESOURCE)
                    .isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Whether the schema error reports Sluice's structural problem, at the same place. */
    private static boolean covers(Error e, Problem p) {
        List<Object> where = segments(p.path());
        List<Object> at = location(e);
        if (p.code().equals("unknown-key") || p.message().startsWith("missing required key")) {
            Object key = where.get(where.size() - 1);
            return at.equals(where.subList(0, where.size() - 1)) && key.equals(e.getProperty()) || at.equals(where);
        }
        return startsWith(at, where) || startsWith(where, at) && !at.isEmpty();
    }

    /** Whether a Sluice problem is at, above or below the place of a schema error. */
    private static boolean near(Error e, Problem p) {
        List<Object> at = location(e);
        if (e.getProperty() != null) at = append(at, e.getProperty());
        List<Object> where = segments(p.path());
        return startsWith(at, where) || startsWith(where, at);
    }

    private static List<Object> location(Error e) {
        List<Object> out = new ArrayList<>();
        var path = e.getInstanceLocation();
        for (int i = 0; i < path.getNameCount(); i++) out.add(path.getElement(i));
        return out;
    }

    /** {@code steps[2].env["A.B"]} as ["steps", 2, "env", "A.B"]. */
    static List<Object> segments(String path) {
        List<Object> out = new ArrayList<>();
        Matcher m = SEGMENT.matcher(path == null ? "" : path);
        while (m.find()) {
            if (m.group(1) != null) out.add(m.group(1));
            else if (m.group(2) != null) out.add(Integer.valueOf(m.group(2)));
            else out.add(m.group(3).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
        return out;
    }

    private static List<Object> append(List<Object> list, Object item) {
        List<Object> out = new ArrayList<>(list);
        out.add(item);
        return out;
    }

    private static boolean startsWith(List<Object> list, List<Object> prefix) {
        if (prefix.size() > list.size()) return false;
        for (int i = 0; i < prefix.size(); i++) {
            if (!String.valueOf(list.get(i)).equals(String.valueOf(prefix.get(i)))) return false;
        }
        return true;
    }

    @SuppressWarnings("unused")
    private static String describe(List<Error> errors) {
        return errors.stream().map(Error::toString).collect(Collectors.joining("; "));
    }
}
