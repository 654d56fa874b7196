package dev.sluice.engine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerOptionsTest {

    @TempDir
    Path dir;

    @Test
    void serverComesFromTheOptionElseTheEnvironment() {
        ServerOptions o = new ServerOptions();
        assertThat(o.url(Map.of())).isNull();
        assertThat(o.url(Map.of("SLUICE_SERVER", " http://h:1 "))).isEqualTo("http://h:1");
        o.server = "http://x:2";
        assertThat(o.url(Map.of("SLUICE_SERVER", "http://h:1"))).isEqualTo("http://x:2");
    }

    @Test
    void tokenComesFromTheFileElseTheEnvironment() throws Exception {
        ServerOptions o = new ServerOptions();
        assertThat(o.token(Map.of())).isNull();
        assertThat(o.token(Map.of("SLUICE_TOKEN", "t1"))).isEqualTo("t1");
        o.tokenFile = Files.writeString(dir.resolve("token"), "t2\n");
        assertThat(o.token(Map.of("SLUICE_TOKEN", "t1"))).isEqualTo("t2");
    }

    @Test
    void anEmptyOrMissingTokenFileIsAnInputError() throws Exception {
        ServerOptions o = new ServerOptions();
        o.tokenFile = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> o.token(Map.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is empty");
        o.tokenFile = dir.resolve("missing");
        assertThatThrownBy(() -> o.token(Map.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot read --token-file");
    }

    @Test
    void anExplicitServerAndALocalStoreDoNotMix() {
        ServerOptions server = new ServerOptions();
        StoreOptions store = new StoreOptions();
        assertThat(Remote.wanted(server, store)).isTrue();
        store.dataDir = dir;
        assertThat(Remote.wanted(server, store)).isFalse(); // $SLUICE_SERVER gives way to --data-dir
        server.server = "http://h:1";
        assertThatThrownBy(() -> Remote.wanted(server, store)).isInstanceOf(IllegalArgumentException.class);
    }
}
