package dev.sluice.engine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerCommandTest {

    @TempDir
    Path dataDir;

    @Test
    void refusesToListenOnANonLoopbackAddressWithoutAToken() {
        Cli.Result r = new Cli(dataDir).run("server", "--bind", "0.0.0.0", "--port", "0", "--data-dir", dataDir.toString());

        assertThat(r.exitCode()).isEqualTo(Main.INVALID);
        assertThat(r.err()).contains("--bind 0.0.0.0 lets other machines reach the API: give it a token").doesNotContain("Exception");
    }

    @Test
    void refusesAlertChannelsThatAreNotHttpOrPointAtItselfWithoutShowingTheUrl() throws IOException {
        Path channels = Files.writeString(dataDir.resolve("channels.yaml"), "oncall: {url: \"ftp://hooks.example.com/s3cr3t\"}\n");

        Cli.Result r = new Cli(dataDir).run("server", "--channels", channels.toString(), "--port", "0", "--data-dir", dataDir.toString());

        assertThat(r.exitCode()).isEqualTo(Main.INVALID);
        assertThat(r.err()).contains("channel oncall: only http and https URLs are allowed").doesNotContain("s3cr3t").doesNotContain("\tat ");

        Files.writeString(channels, "oncall: {url: \"http://127.0.0.1:18999/api/pipelines/x/runs\"}\n");
        r = new Cli(dataDir).run("server", "--channels", channels.toString(), "--port", "18999", "--data-dir", dataDir.toString());
        assertThat(r.exitCode()).isEqualTo(Main.INVALID);
        assertThat(r.err()).contains("channel oncall: its url points at this server itself");
    }

    @Test
    void refusesAMaxActiveRunsBelowOne() {
        Cli.Result r = new Cli(dataDir).run("server", "--max-active-runs", "0", "--port", "0", "--data-dir", dataDir.toString());

        assertThat(r.exitCode()).isEqualTo(Main.INVALID);
        assertThat(r.err()).contains("--max-active-runs must be at least 1").doesNotContain("\tat ");
    }

    @Test
    void refusesAnEmptyTokenFile() throws IOException {
        Path token = Files.writeString(dataDir.resolve("token"), "\n");

        Cli.Result r = new Cli(dataDir).run("server", "--token-file", token.toString(), "--port", "0", "--data-dir", dataDir.toString());

        assertThat(r.exitCode()).isEqualTo(Main.INVALID);
        assertThat(r.err()).contains("--token-file " + token + ": the token is empty").doesNotContain("Exception");
    }

    @Test
    void refusesATokenFileItCannotRead() {
        Path missing = dataDir.resolve("no-such-token");

        Cli.Result r = new Cli(dataDir).run("server", "--token-file", missing.toString(), "--port", "0", "--data-dir", dataDir.toString());

        assertThat(r.exitCode()).isEqualTo(Main.INVALID);
        assertThat(r.err()).contains("--token-file " + missing + ": cannot read it").doesNotContain("\tat ");
    }

    @Test
    void acceptsLoopbackAddressesWithoutATokenAndAnyAddressWithOne() {
        assertThatCode(() -> ServerCommand.requireTokenOffLoopback("127.0.0.1", false)).doesNotThrowAnyException();
        assertThatCode(() -> ServerCommand.requireTokenOffLoopback("::1", false)).doesNotThrowAnyException();
        assertThatCode(() -> ServerCommand.requireTokenOffLoopback("localhost", false)).doesNotThrowAnyException();
        assertThatCode(() -> ServerCommand.requireTokenOffLoopback("0.0.0.0", true)).doesNotThrowAnyException();
        assertThatThrownBy(() -> ServerCommand.requireTokenOffLoopback("::", false)).isInstanceOf(IllegalArgumentException.class);
    }
}
