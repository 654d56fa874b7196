package dev.sluice.engine.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: a server's embedded database listened on every interface ({@code *:PORT} in
 * {@code ss -ltnp}) and its lock file, which names that port and the key, was mode 644. Checked on a
 * real {@code sluice server} process: H2 reads its bind address once per JVM, when it first loads.
 */
class ServerHygieneTest {

    @Test
    void theEmbeddedDatabaseListensOnLoopbackOnly(@TempDir Path root) throws Exception {
        Path pipelines = Files.createDirectories(root.resolve("pipelines"));
        try (ServerProcess server = new ServerProcess(root, pipelines)) {
            Properties lock = new Properties();
            try (Reader r = Files.newBufferedReader(root.resolve("data/sluice.lock.db"))) {
                lock.load(r);
            }
            String address = lock.getProperty("server");
            assertThat(address).as("the database server in the lock file").matches("(127\\.0\\.0\\.1|localhost):\\d+");
            int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));

            // what `ss -ltn` shows for that port, read from /proc/net/tcp{,6}
            assertThat(listeners(port)).as("sockets listening on the database's port %d", port).isNotEmpty()
                    .allSatisfy(a -> assertThat(a).isIn("127.0.0.1", "::1", "::ffff:127.0.0.1"));
            int api = Integer.parseInt(server.url.substring(server.url.lastIndexOf(':') + 1));
            assertThat(listeners(api)).isNotEmpty().allSatisfy(a -> assertThat(a).isIn("127.0.0.1", "::ffff:127.0.0.1"));
        }
    }

    /** Local addresses of the sockets in LISTEN state on a port, as `ss -ltn` reads them. */
    static List<String> listeners(int port) throws IOException {
        List<String> found = new ArrayList<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            Path p = Path.of(table);
            if (!Files.exists(p)) continue;
            List<String> lines = Files.readAllLines(p);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                String[] local = f[1].split(":");
                if (f[3].equals("0A") && Integer.parseInt(local[1], 16) == port) found.add(address(local[0]));
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
