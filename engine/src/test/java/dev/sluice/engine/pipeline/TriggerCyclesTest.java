package dev.sluice.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A trigger cycle is an error of pipeline files loaded together, located where it closes. */
class TriggerCyclesTest {

    private static ParseResult load(String name) throws URISyntaxException {
        Path dir = Path.of(TriggerCyclesTest.class.getResource("cycle").toURI());
        Path file = dir.resolve(name);
        return PipelineLoader.parse("cycle/" + name, read(file), dir);
    }

    private static String read(Path p) {
        try {
            return java.nio.file.Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void reportsEachCycleOnceWithItsPath() throws URISyntaxException {
        List<Pipeline> all = Stream.of("a.yaml", "b.yaml", "c.yaml", "d.yaml").map(n -> {
            try {
                return load(n).pipeline();
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }).toList();

        assertThat(TriggerCycles.check(all)).extracting(Problem::format)
                .containsExactly("cycle/b.yaml:3:15: trigger cycle: b -> a -> c -> b");
        assertThat(TriggerCycles.check(all.subList(0, 2))).as("a and b alone: no cycle").isEmpty();
    }
}
