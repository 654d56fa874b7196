package dev.sluice.engine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sluice.engine.store.PipelineVersion;
import dev.sluice.engine.store.Store;
import dev.sluice.engine.store.Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class PipelineFolderTest {

    static final Duration EVERY = Duration.ofMillis(100);
    static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path root;

    Path dir;
    Store store;
    PipelineFolder folder;
    final AtomicInteger changes = new AtomicInteger();
    final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    final Logger logger = (Logger) LoggerFactory.getLogger(PipelineFolder.class);

    @BeforeEach
    void open() throws IOException {
        dir = Files.createDirectories(root.resolve("pipelines"));
        store = Stores.open(null, root.resolve("data"));
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void close() {
        if (folder != null) folder.close();
        logger.detachAppender(logs);
        store.close();
    }

    void watch() {
        folder = new PipelineFolder(store, dir);
        folder.scan();
        folder.watch(EVERY, changes::incrementAndGet);
    }

    @Test
    void loadsEveryValidFileAtTheFirstLook() throws IOException {
        write("a.yaml", pipeline("a", "echo a"));
        write("b.yaml", pipeline("b", "echo b"));
        write("notes.txt", "not a pipeline");
        write("bad.yaml", "name: bad\nsteps: []\n");

        assertThat(PipelineFolder.load(store, dir)).extracting(PipelineVersion::name).containsExactly("a", "b");
        assertThat(store.pipelineNames()).containsExactly("a", "b");
    }

    @Test
    void savesANewVersionWhenAFileChanges() throws IOException {
        write("a.yaml", pipeline("a", "echo a"));
        watch();

        write("a.yaml", pipeline("a", "echo changed"));

        await().atMost(PATIENCE).until(() -> latest("a").map(PipelineVersion::version).orElse(0) == 2);
        assertThat(latest("a").orElseThrow().text()).contains("echo changed");
        await().atMost(PATIENCE).until(() -> changes.get() > 0);
    }

    @Test
    void noticesAFileAddedAndAFileReplacedByARename() throws IOException {
        write("a.yaml", pipeline("a", "echo a"));
        watch();

        write("b.yaml", pipeline("b", "echo b"));
        Path temp = write(".a.yaml.swp", pipeline("a", "echo renamed"));
        Files.move(temp, dir.resolve("a.yaml"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        await().atMost(PATIENCE).until(() -> latest("b").isPresent()
                && latest("a").map(v -> v.text().contains("echo renamed")).orElse(false));
    }

    @Test
    void keepsThePreviousVersionOfAFileThatBecameInvalidAndSaysWhereItIsWrong() throws IOException {
        write("a.yaml", pipeline("a", "echo a"));
        watch();

        write("a.yaml", "name: a\nsteps:\n  - id: x\n    needs: [nope]\n    run: echo x\n");

        await().atMost(PATIENCE).until(() -> logs.list.stream()
                .anyMatch(e -> e.getFormattedMessage().startsWith(dir.resolve("a.yaml") + ":4:")));
        assertThat(latest("a").orElseThrow().version()).isEqualTo(1);

        write("a.yaml", pipeline("a", "echo fixed"));
        await().atMost(PATIENCE).until(() -> latest("a").map(PipelineVersion::version).orElse(0) == 2);
    }

    @Test
    void deletesThePipelineOfARemovedFile() throws IOException {
        write("a.yaml", pipeline("a", "echo a"));
        write("b.yaml", pipeline("b", "echo b"));
        watch();

        Files.delete(dir.resolve("a.yaml"));

        await().atMost(PATIENCE).until(() -> store.pipelineNames().equals(java.util.List.of("b")));
        assertThat(store.pipelineState("a").orElseThrow().deleted()).isTrue();
    }

    @Test
    void keepsThePipelineOfARemovedFileWhenTheApiChangedItSince() throws IOException {
        write("a.yaml", pipeline("a", "echo a"));
        write("b.yaml", pipeline("b", "echo b"));
        watch();
        store.savePipeline("a", pipeline("a", "echo from the api"));

        Files.delete(dir.resolve("a.yaml"));
        Files.delete(dir.resolve("b.yaml"));

        await().atMost(PATIENCE).until(() -> store.pipelineNames().equals(java.util.List.of("a")));
        assertThat(latest("a").orElseThrow().text()).contains("echo from the api");
    }

    @Test
    void keepsAPipelineWhoseFileWasRenamed() throws IOException {
        write("a.yaml", pipeline("a", "echo a"));
        watch();
        PipelineVersion v1 = latest("a").orElseThrow();

        Files.move(dir.resolve("a.yaml"), dir.resolve("renamed.yaml"));
        write("marker.yaml", pipeline("marker", "echo m"));

        await().atMost(PATIENCE).until(() -> latest("marker").isPresent());
        assertThat(store.pipelineNames()).containsExactly("a", "marker");
        assertThat(latest("a").orElseThrow().version()).isEqualTo(1);
        assertThat(store.pipelineState("a").orElseThrow().scheduleSince()).as("never deleted, not even for a moment")
                .isEqualTo(v1.createdAt());
    }

    Optional<PipelineVersion> latest(String name) {
        return store.latestPipeline(name);
    }

    Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    static String pipeline(String name, String command) {
        return "name: " + name + "\nsteps:\n  - id: s\n    run: " + command + "\n";
    }
}
