package dev.sluice.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ShellWordsTest {

    @Test
    void leavesSafeWordsAsTheyAre() {
        assertThat(ShellWords.quote("5000")).isEqualTo("5000");
        assertThat(ShellWords.quote("a@b%c+d=e:f,g./h-i_j")).isEqualTo("a@b%c+d=e:f,g./h-i_j");
    }

    @Test
    void singleQuotesEverythingElse() {
        assertThat(ShellWords.quote("1; rm -rf ~")).isEqualTo("'1; rm -rf ~'");
        assertThat(ShellWords.quote("it's")).isEqualTo("'it'\"'\"'s'");
        assertThat(ShellWords.quote("")).isEqualTo("''");
        assertThat(ShellWords.quote("café")).isEqualTo("'café'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1; rm -rf ~", "$(touch /tmp/sluice-pwned)", "`id`", "a'b\"c", "'", "''", "*",
            "x\ny", "$HOME", "a b  c", "\\", "-n", "", "!event", "a&b|c>d<e", "{a,b}", "#comment"})
    void keepsAnyValueOneLiteralWordForTheShell(String value) throws Exception {
        assertThat(echo(ShellWords.quote(value))).isEqualTo(value);
    }

    /** What /bin/sh receives as its one argument: printf prints it back without interpretation. */
    static String echo(String word) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/bin/sh", "-c", "printf '%s' " + word).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return out;
    }
}
