package dev.sluice.engine.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompletionCommandTest {

    @TempDir
    Path dir;

    private final Cli cli = new Cli(Path.of("unused"));

    @Test
    void bashScriptCompletesSubcommandsAndTheirOptions() throws Exception {
        Cli.Result r = cli.run("completion", "bash");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("function _complete_sluice()", "complete -F _complete_sluice");
        Path script = dir.resolve("sluice_completion");
        Files.writeString(script, r.out());

        assertThat(complete(script, "sluice", "ru")).contains("run", "runs");
        assertThat(complete(script, "sluice", "com")).contains("completion");
        assertThat(complete(script, "sluice", "run", "--da")).contains("--data-dir");
        assertThat(complete(script, "sluice", "completion", "")).contains("bash", "zsh");
    }

    @Test
    void zshGetsTheSameScriptWhichLoadsBashcompinitItself() {
        Cli.Result r = cli.run("completion", "zsh");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("# sluice completion for zsh").contains("bashcompinit", "_complete_sluice");
    }

    @Test
    void refusesAnotherShell() {
        Cli.Result r = cli.run("completion", "fish");
        assertThat(r.exitCode()).isEqualTo(Main.INVALID);
        assertThat(r.err()).contains("bash, zsh");
    }

    /** What bash would offer for the last word of {@code words}, asked as bash's completion would ask. */
    private String complete(Path script, String... words) throws IOException, InterruptedException {
        StringBuilder array = new StringBuilder();
        for (String w : words) array.append(" '").append(w).append('\'');
        String line = String.join(" ", words);
        String cmd = "source '" + script + "' 2>/dev/null; COMP_WORDS=(" + array + "); COMP_CWORD=" + (words.length - 1)
                + "; COMP_LINE='" + line + "'; COMP_POINT=" + line.length()
                + "; _complete_sluice 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"";
        Process p = new ProcessBuilder("bash", "-c", cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
