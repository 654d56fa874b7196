package dev.sluice.engine.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The designer's pure JavaScript modules (graph geometry, scene, editor model and history) under
 * node's own test runner, without a DOM: designer-ui/src/test/js/*.test.mjs. Skipped where no
 * node is installed; the browser tests cover the same code through the pages.
 */
class EditorGraphModulesTest {

    @Test
    void pureDesignerModulesPassTheirNodeTests() throws IOException, InterruptedException {
        Path tests = Path.of(System.getProperty("basedir", "."), "..", "designer-ui", "src", "test", "js").normalize();
        assumeTrue(Files.isDirectory(tests), "designer-ui sources next to the engine");
        assumeTrue(onPath("node"), "node on the PATH");
        Process p = new ProcessBuilder("node", "--test", tests.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("# fail 0");
    }

    private static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(java.io.File.pathSeparator)) if (Files.isExecutable(Path.of(dir, exe))) return true;
        return false;
    }
}
