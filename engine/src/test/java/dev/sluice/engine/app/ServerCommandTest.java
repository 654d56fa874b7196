package dev.sluice.engine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerCommandTest {

    @TempDir
    Path dataDir;

    @Test
    void refusesToListenOnANonLoopbackAddressUntilTheApiHasTokens() {
        Cli.Result r = new Cli(dataDir).run("server", "--bind", "0.0.0.0", "--port", "0", "--data-dir", dataDir.toString());

        assertThat(r.exitCode()).isEqualTo(Main.INVALID);
        assertThat(r.err()).contains("--bind 0.0.0.0 is not a loopback address").doesNotContain("Exception");
    }

    @Test
    void acceptsLoopbackAddresses() {
        assertThatCode(() -> ServerCommand.requireLoopback("127.0.0.1")).doesNotThrowAnyException();
        assertThatCode(() -> ServerCommand.requireLoopback("::1")).doesNotThrowAnyException();
        assertThatCode(() -> ServerCommand.requireLoopback("localhost")).doesNotThrowAnyException();
    }
}
