package dev.sluice.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code valid/*.yaml} parses; every {@code invalid/<name>.yaml} gives exactly the lines of
 * {@code invalid/<name>.errors}, as the CLI prints them.
 */
class GoldenFilesTest {

    static Path root() throws URISyntaxException {
        return Path.of(GoldenFilesTest.class.getResource("valid").toURI()).getParent();
    }

    static Stream<String> valid() throws Exception {
        return yamlFiles("valid");
    }

    static Stream<String> invalid() throws Exception {
        return yamlFiles("invalid");
    }

    private static Stream<String> yamlFiles(String folder) throws Exception {
        try (Stream<Path> files = Files.list(root().resolve(folder))) {
            List<String> names = files.map(p -> folder + "/" + p.getFileName())
                    .filter(n -> n.endsWith(".yaml")).sorted().toList();
            assertThat(names).isNotEmpty();
            return names.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("valid")
    void validFilesParseWithoutProblems(String name) throws Exception {
        ParseResult result = PipelineLoader.parse(name, read(name), root());

        assertThat(result.problems()).extracting(Problem::format).isEmpty();
        assertThat(result.pipeline()).isNotNull();
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void invalidFilesGiveExactlyTheGoldenProblems(String name) throws Exception {
        List<String> expected = read(name.replace(".yaml", ".errors")).lines().toList();

        ParseResult result = PipelineLoader.parse(name, read(name), root());

        assertThat(result.pipeline()).isNull();
        assertThat(result.problems()).extracting(Problem::format).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void everyProblemHasACodeAndAPlace(String name) throws Exception {
        for (Problem p : PipelineLoader.parse(name, read(name), root()).problems()) {
            assertThat(p.code()).matches("[a-z][a-z-]*");
            assertThat(p.location().file()).isEqualTo(name);
            assertThat(p.location().line()).isPositive();
            assertThat(p.location().column()).isPositive();
            assertThat(p.message()).doesNotContain("\n", "at [Source", "Exception", "org.yaml", "com.fasterxml");
        }
    }

    private static String read(String name) throws IOException, URISyntaxException {
        return Files.readString(root().resolve(name), StandardCharsets.UTF_8);
    }
}
