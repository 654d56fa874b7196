package dev.sluice.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoresTest {

    @TempDir
    Path dataDir;

    @Test
    void refusesAnUnsupportedDatabaseUrl() {
        assertThatThrownBy(() -> Stores.open("jdbc:mysql://localhost/sluice?password=hunter2", dataDir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unsupported database URL 'jdbc:mysql://localhost/sluice?password=***':"
                        + " give a jdbc:postgresql: URL, or none for the embedded database");
    }

    @Test
    void anUnreachableDatabaseIsAOneLineStoreException() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/sluice?user=u&password=secret";

        assertThatThrownBy(() -> Stores.open(url, dataDir))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot open the database jdbc:postgresql://127.0.0.1:" + port
                        + "/sluice?user=u&password=***: ")
                .hasMessageNotContaining("secret")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
