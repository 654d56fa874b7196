package dev.sluice.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineLoaderTest {

    @TempDir
    Path dir;

    private static ParseResult parse(String text) {
        return PipelineLoader.parse("p.yaml", text, null);
    }

    private static List<String> problems(String text) {
        return parse(text).problems().stream().map(Problem::format).toList();
    }

    @Test
    void refusesAFileOverOneMebibyteWithoutReadingIt() throws IOException {
        Path big = dir.resolve("big.yaml");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(50L * 1024 * 1024); // sparse: nothing is written
        }

        ParseResult result = PipelineLoader.load(big);

        assertThat(result.problems()).extracting(Problem::format)
                .containsExactly(big + ":1:1: file is 52428800 bytes; the limit is 1 MiB");
    }

    @Test
    void acceptsAFileOfExactlyTheLimit() throws IOException {
        String head = "name: big\nsteps:\n  - id: a\n    run: echo a\n";
        Path file = dir.resolve("limit.yaml");
        Files.writeString(file, head + "#".repeat(PipelineLoader.MAX_BYTES - head.length()));

        assertThat(PipelineLoader.load(file).ok()).isTrue();
    }

    @Test
    void reportsAMissingFileAsOneProblem() {
        ParseResult result = PipelineLoader.load(dir.resolve("nope.yaml"));

        assertThat(result.problems()).hasSize(1);
        assertThat(result.problems().get(0).message()).isEqualTo("cannot read file: it does not exist");
        assertThat(result.problems().get(0).code()).isEqualTo("unreadable");
    }

    @Test
    void reportsAFolderAsUnreadable() {
        assertThat(PipelineLoader.load(dir).problems()).extracting(Problem::message)
                .containsExactly("cannot read file: it is a folder");
    }

    @Test
    void reportsTextThatIsNotUtf8() throws IOException {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xE9, '\n'});

        assertThat(PipelineLoader.load(file).problems()).extracting(Problem::message)
                .containsExactly("file is not valid UTF-8 text");
    }

    @Test
    void reportsEmptyWhitespaceAndCommentOnlyFilesAsEmpty() throws IOException {
        for (String text : List.of("", "   \n\n  ", "# nothing\n  # here\n", "---\n")) {
            Path file = dir.resolve("e.yaml");
            Files.writeString(file, text);
            assertThat(PipelineLoader.load(file).problems()).extracting(Problem::message)
                    .as("text %s", text)
                    .containsExactly("file is empty: a pipeline needs at least name and steps");
        }
    }

    @Test
    void loadNamesTheFileAsGivenAndTakesItsFolderAsBase() throws IOException {
        Path file = dir.resolve("ok.yaml");
        Files.writeString(file, "name: ok\nsteps:\n  - id: a\n    run: echo a\n    workdir: sub\n");

        ParseResult result = PipelineLoader.load(file);

        assertThat(result.ok()).isTrue();
        assertThat(result.pipeline().baseDir()).isEqualTo(dir.toAbsolutePath().normalize());
        assertThat(result.pipeline().step("a").workdir()).isEqualTo("sub");
    }

    @Test
    void appliesDefaultsToStepsThatDoNotSetTheField() {
        ParseResult result = parse("""
                name: d
                defaults:
                  retries: 2
                  retry_delay: 10s
                  timeout: 30m
                  worker: { labels: [gpu] }
                steps:
                  - id: a
                    run: echo a
                  - id: b
                    run: echo b
                    retries: 0
                    retry_delay: 1m
                    timeout: 2h
                    worker: { labels: [cpu, big] }
                  - id: c
                    run: echo c
                    worker: {}
                """);

        Pipeline p = result.pipeline();
        assertThat(p.step("a").retries()).isEqualTo(2);
        assertThat(p.step("a").retryDelay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.step("a").timeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(p.step("a").labels()).containsExactly("gpu");
        assertThat(p.step("b").retries()).isZero();
        assertThat(p.step("b").retryDelay()).isEqualTo(Duration.ofMinutes(1));
        assertThat(p.step("b").timeout()).isEqualTo(Duration.ofHours(2));
        assertThat(p.step("b").labels()).containsExactly("cpu", "big");
        assertThat(p.step("c").labels()).containsExactly("gpu");
    }

    @Test
    void leavesFieldsAtTheirOwnDefaultsWithoutDefaults() {
        Step a = parse("name: d\nsteps:\n  - id: a\n    run: echo a\n").pipeline().step("a");

        assertThat(a.retries()).isZero();
        assertThat(a.retryDelay()).isEqualTo(Step.DEFAULT_RETRY_DELAY);
        assertThat(a.timeout()).isNull();
        assertThat(a.condition()).isNull();
        assertThat(a.cache()).isFalse();
    }

    @Test
    void readsTheWholePipeline() {
        Pipeline p = parse("""
                name: full
                description: all of it
                params: { rows: 5000, min_auc: 0.75, tag: nightly, dry: false }
                schedule: { cron: "0 3 * * *", timezone: Europe/Paris, catchup: true }
                concurrency: 3
                env: { PYTHONUNBUFFERED: 1 }
                steps:
                  - id: a
                    run: echo ${{ params.rows }}
                    outputs: [raw.csv, models/]
                    env: { A: x }
                    cache: true
                    cache_files: [a.py]
                  - id: b
                    needs: a
                    matrix: { c: [0.1, 1], opt: [adam] }
                    if: ${{ params.rows > 10 }}
                    run: echo ${{ matrix.c }}
                """).pipeline();

        assertThat(p.name()).isEqualTo("full");
        assertThat(p.description()).isEqualTo("all of it");
        assertThat(p.params().keySet()).containsExactly("rows", "min_auc", "tag", "dry");
        assertThat(p.params().get("rows")).isEqualTo(new Param("rows", ParamType.INTEGER, 5000L));
        assertThat(p.params().get("min_auc")).isEqualTo(new Param("min_auc", ParamType.NUMBER, 0.75));
        assertThat(p.params().get("tag")).isEqualTo(new Param("tag", ParamType.STRING, "nightly"));
        assertThat(p.params().get("dry")).isEqualTo(new Param("dry", ParamType.BOOLEAN, false));
        assertThat(p.schedule()).isEqualTo(new Schedule("0 3 * * *", ZoneId.of("Europe/Paris"), true));
        assertThat(p.concurrency()).isEqualTo(3);
        assertThat(p.env()).isEqualTo(Map.of("PYTHONUNBUFFERED", "1"));
        Step a = p.step("a");
        assertThat(a.run()).isEqualTo("echo ${{ params.rows }}");
        assertThat(a.outputs()).containsExactly("raw.csv", "models/");
        assertThat(a.env()).isEqualTo(Map.of("A", "x"));
        assertThat(a.cache()).isTrue();
        assertThat(a.cacheFiles()).containsExactly("a.py");
        Step b = p.step("b");
        assertThat(b.needs()).containsExactly("a");
        assertThat(b.matrix()).containsExactly(Map.entry("c", List.of(0.1, 1L)), Map.entry("opt", List.of("adam")));
        assertThat(b.condition()).isEqualTo("params.rows > 10");
    }

    @Test
    void keepsTheDefaultConcurrencyAndUtcWhenUnset() {
        Pipeline p = parse("name: d\nschedule: { cron: '@daily' }\nsteps:\n  - id: a\n    run: echo a\n").pipeline();

        assertThat(p.concurrency()).isEqualTo(Pipeline.DEFAULT_CONCURRENCY);
        assertThat(p.schedule().timezone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(p.schedule().catchup()).isFalse();
        assertThat(p.schedule().cron()).isEqualTo("@daily");
    }

    @Test
    void acceptsABareConditionAndStoresItWithoutBraces() {
        Pipeline p = parse("""
                name: c
                params: { n: 1 }
                steps:
                  - id: a
                    if: params.n > 0
                    run: echo a
                  - id: b
                    if: "  ${{ params.n > 0 }}  "
                    run: echo b
                """).pipeline();

        assertThat(p.step("a").condition()).isEqualTo("params.n > 0");
        assertThat(p.step("b").condition()).isEqualTo("params.n > 0");
    }

    @Test
    void keepsScalarTextAsWritten() {
        Pipeline p = parse("name: s\ndescription: 1.10\nsteps:\n  - id: a\n    run: true\n  - id: b\n    run: 1.10\n")
                .pipeline();

        assertThat(p.description()).isEqualTo("1.10");
        assertThat(p.step("a").run()).isEqualTo("true");
        assertThat(p.step("b").run()).isEqualTo("1.10");
    }

    @Test
    void treatsYesAndOnAsStringsNotBooleans() {
        Pipeline p = parse("name: s\nparams: { a: yes, b: on, c: true }\nsteps:\n  - id: a\n    run: echo\n").pipeline();

        assertThat(p.params().get("a").type()).isEqualTo(ParamType.STRING);
        assertThat(p.params().get("b").defaultValue()).isEqualTo("on");
        assertThat(p.params().get("c").type()).isEqualTo(ParamType.BOOLEAN);
    }

    @Test
    void ignoresAByteOrderMark() {
        assertThat(parse("\uFEFFname: bom\nsteps:\n  - id: a\n    run: echo a\n").ok()).isTrue();
    }

    @Test
    void refusesATextOverTheLimitInParseToo() {
        String text = "name: x\n# " + "é".repeat(PipelineLoader.MAX_BYTES / 2) + "\n";

        assertThat(problems(text)).containsExactly("p.yaml:1:1: text is 1048587 bytes; the limit is 1 MiB");
    }

    @Test
    void reportsAScalarAnchorThatJacksonDoesNotExpose() {
        assertThat(problems("name: &n x\nsteps:\n  - id: a\n    run: echo\n"))
                .containsExactly("p.yaml:1:7: YAML anchors are not allowed ('&n'); write values out in full"
                        + " (only the first anchor or alias is reported)");
    }

    @Test
    void reportsAHugeAliasBombAsOneProblem() {
        StringBuilder sb = new StringBuilder("name: bomb\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 30; i++) {
            sb.append('a').append(i).append(": &a").append(i).append(" [");
            for (int k = 0; k < 10; k++) sb.append(k == 0 ? "" : ", ").append("*a").append(i - 1);
            sb.append("]\n");
        }

        List<Problem> found = parse(sb.toString()).problems();

        assertThat(found).hasSize(1);
        assertThat(found.get(0).code()).isEqualTo("anchor");
        assertThat(found.get(0).location().line()).isEqualTo(2);
    }

    @Test
    void pointsInsideTheScalarAtAnExpressionError() {
        List<String> lines = problems("""
                name: x
                params: { rows: 1 }
                steps:
                  - id: a
                    run: 'it''s ${{ params.nope }}'
                  - id: b
                    run: |
                      first line
                        echo ${{ params.rowz }}
                """);

        assertThat(lines).containsExactly(
                "p.yaml:5:28: unknown param 'nope'",
                "p.yaml:9:25: unknown param 'rowz' (did you mean 'rows'?)");
    }

    @Test
    void refusesAPipelineThatExpandsToTooManyTasks() {
        StringBuilder sb = new StringBuilder("name: many\nsteps:\n");
        for (int i = 0; i < 25; i++) {
            sb.append("  - id: s").append(i).append("\n    run: echo\n    matrix: { a: [");
            for (int k = 0; k < 1000; k++) sb.append(k == 0 ? "" : ",").append(k);
            sb.append("] }\n");
        }

        assertThat(problems(sb.toString()))
                .containsExactly("p.yaml:1:1: the pipeline expands to 25000 tasks; the limit is 20000");
    }

    @Test
    void reportsEachCycleOnceWithItsPath() {
        List<String> lines = problems("""
                name: cycles
                steps:
                  - id: a
                    needs: [b]
                    run: echo
                  - id: b
                    needs: [a]
                    run: echo
                  - id: c
                    needs: [e]
                    run: echo
                  - id: d
                    needs: [c]
                    run: echo
                  - id: e
                    needs: [d, c]
                    run: echo
                """);

        assertThat(lines).containsExactly(
                "p.yaml:4:13: cycle: a -> b -> a",
                "p.yaml:10:13: cycle: c -> e -> c");
    }

    @Test
    void suggestsTheKeyPeopleBringFromOtherTools() {
        assertThat(problems("name: x\nsteps:\n  - id: a\n    run: echo\n    depends_on: [b]\n"))
                .containsExactly("p.yaml:5:5: unknown key 'depends_on' (did you mean 'needs'?)");
    }

    @Test
    void refusesCronMacrosItDoesNotKnow() {
        assertThat(problems("name: x\nschedule: { cron: '@reboot' }\nsteps:\n  - id: a\n    run: echo\n"))
                .containsExactly("p.yaml:2:19: bad cron '@reboot': unknown cron macro '@reboot'; use @hourly, "
                        + "@daily, @weekly, @monthly or @yearly");
    }

    @Test
    void givesEveryProblemItsYamlPath() {
        List<Problem> found = parse("name: x\nsteps:\n  - id: a\n    run: echo\n  - id: b\n    run: echo\n"
                + "    needs: [a, zz]\n").problems();

        assertThat(found).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("steps[1].needs[1]");
            assertThat(p.code()).isEqualTo("unknown-need");
            assertThat(p.hint()).isNull();
        });
    }
}
