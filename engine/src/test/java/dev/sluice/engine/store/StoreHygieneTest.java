package dev.sluice.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10, store hygiene: the embedded database listens on loopback only, and its files are the owner's only. */
class StoreHygieneTest {

    @TempDir
    Path root;

    @Test
    void theEmbeddedDatabasesServerListensOnLoopbackOnly() throws IOException {
        try (Store store = Stores.open(null, root.resolve("data"))) {
            Properties lock = new Properties();
            try (Reader r = Files.newBufferedReader(root.resolve("data/sluice.lock.db"))) {
                lock.load(r);
            }
            String server = lock.getProperty("server");
            assertThat(server).as("the AUTO_SERVER address in the lock file").isNotNull();
            int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));

            // what `ss -ltn` shows: every listening socket on that port, from /proc/net/tcp{,6}
            List<String> listening = listeners(port);
            assertThat(listening).as("sockets listening on H2's port %d", port).isNotEmpty()
                    .allSatisfy(address -> assertThat(address).isIn("127.0.0.1", "::1", "::ffff:127.0.0.1"));
            assertThat(server).as("what other processes are told to connect to").matches("(127\\.0\\.0\\.1|localhost):\\d+");
        }
    }

    @Test
    void makesTheDataDirAndTheDatabaseFilesOwnerOnly() throws IOException {
        Path data = Files.createDirectories(root.resolve("data"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try (Store store = Stores.open(null, data)) {
            assertThat(mode(data)).isEqualTo("rwx------");
            try (Stream<Path> files = Files.list(data)) {
                List<Path> db = files.filter(f -> f.getFileName().toString().startsWith("sluice.")
                        || f.getFileName().toString().equals("db-password")).toList();
                assertThat(db).extracting(f -> f.getFileName().toString()).contains("sluice.mv.db", "sluice.lock.db", "db-password");
                for (Path f : db) assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
            }
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /** Local addresses of the sockets in LISTEN state on a port, read as `ss -ltn` does. */
    static List<String> listeners(int port) throws IOException {
        List<String> found = new ArrayList<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            Path p = Path.of(table);
            if (!Files.exists(p)) continue;
            for (String line : Files.readAllLines(p).subList(1, Files.readAllLines(p).size())) {
                String[] f = line.trim().split("\\s+");
                String[] local = f[1].split(":");
                if (!f[3].equals("0A") || Integer.parseInt(local[1], 16) != port) continue;
                found.add(address(local[0]));
            }
        }
        return found;
    }

    private static String address(String hex) {
        if (hex.length() == 8) {
            return Integer.parseInt(hex.substring(6, 8), 16) + "." + Integer.parseInt(hex.substring(4, 6), 16) + "."
                    + Integer.parseInt(hex.substring(2, 4), 16) + "." + Integer.parseInt(hex.substring(0, 2), 16);
        }
        if (hex.equals("00000000000000000000000000000000")) return "::";
        if (hex.equals("00000000000000000000000001000000")) return "::1";
        if (hex.startsWith("0000000000000000FFFF0000")) return "::ffff:" + address(hex.substring(24));
        return hex.toLowerCase(Locale.ROOT);
    }
}
