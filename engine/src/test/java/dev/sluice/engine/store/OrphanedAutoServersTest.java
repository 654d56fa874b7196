package dev.sluice.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.store.OrphanedAutoServers.Lock;
import dev.sluice.engine.store.OrphanedAutoServers.Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which of this JVM's H2 AUTO_SERVERs are orphans a failed open left behind (issue 10, a full disk). */
class OrphanedAutoServersTest {

    private static final Path DB = Path.of("/data/sluice");

    private static Server server(int port, String key, String database) {
        return new Server(port, key, database, new Object());
    }

    @Test
    void theLiveServerIsKeptAndServersWithAnOldKeyAreOrphans() {
        Server live = server(4001, "id-live", DB.toString());
        Server leaked = server(4002, "id-failed-open", DB.toString());
        Server otherFile = server(4003, "id-other", "/elsewhere/sluice");
        assertThat(OrphanedAutoServers.orphans(List.of(live, leaked, otherFile), DB, new Lock("id-live", 4001), false))
                .containsExactly(leaked);
    }

    @Test
    void theServerTheLockFileNamesIsAnOrphanOnlyWhenAnOpenFromThisJvmIsRefusedAsAlreadyOpen() {
        Server named = server(4001, "id-1", "file:" + DB);
        Lock lock = new Lock("id-1", 4001);
        assertThat(OrphanedAutoServers.orphans(List.of(named), DB, lock, false)).isEmpty();
        assertThat(OrphanedAutoServers.orphans(List.of(named), DB, lock, true)).containsExactly(named);
    }

    @Test
    void withoutALockFileNothingIsStopped() {
        Server s = server(4001, "id-1", DB.toString());
        assertThat(OrphanedAutoServers.orphans(List.of(s), DB, null, true)).isEmpty();
    }

    @Test
    void readsTheLockFilesIdAndPort(@TempDir Path dir) throws Exception {
        Path lock = dir.resolve("sluice.lock.db");
        Files.writeString(lock, "#FileLock\nhostName=localhost\nid=18c2abc\nmethod=file\nserver=127.0.0.1\\:41234\n");
        assertThat(OrphanedAutoServers.readLock(lock)).contains(new Lock("18c2abc", 41234));
        assertThat(OrphanedAutoServers.readLock(dir.resolve("missing.lock.db"))).isEmpty();
    }

    @Test
    void alreadyOpenIsH2s90020AnywhereInTheChain() {
        assertThat(OrphanedAutoServers.alreadyOpen(new SQLException("outer", "08000", 0,
                new SQLException("Database may be already in use", "90020", 90020)))).isTrue();
        assertThat(OrphanedAutoServers.alreadyOpen(new SQLException("closed", "90098", 90098))).isFalse();
        assertThat(OrphanedAutoServers.alreadyOpen(null)).isFalse();
    }
}
