package dev.sluice.worker.exec;

import dev.sluice.worker.artifact.ContentStore;
import dev.sluice.worker.protocol.Artifact;
import dev.sluice.worker.protocol.AttemptKey;
import dev.sluice.worker.protocol.TaskRequest;
import dev.sluice.worker.protocol.TaskResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A real executor over temporary folders, and helpers to run commands through it. */
abstract class ExecutorTestBase {

    static final Duration GRACE = Duration.ofMillis(500);

    @TempDir
    Path temp;
    Path workdir;
    Path workRoot;
    ContentStore store;
    LocalExecutor executor;
    RecordingSink sink;
    private int attempts;

    @BeforeEach
    void createExecutor() throws IOException {
        workdir = Files.createDirectories(temp.resolve("workdir"));
        workRoot = temp.resolve("work");
        store = new ContentStore(temp.resolve("store"));
        executor = new LocalExecutor(store, workRoot, "test-worker", GRACE);
        sink = new RecordingSink();
    }

    @AfterEach
    void closeExecutor() {
        executor.close();
    }

    TaskRequest request(String command) {
        return request(command, Map.of(), List.of(), List.of(), null);
    }

    TaskRequest request(String command, Map<String, String> env, List<String> outputs, List<Artifact> inputs, Duration timeout) {
        return new TaskRequest(new AttemptKey("run-1", "step", ++attempts), command, workdir.toString(),
                env, outputs, inputs, timeout, 0);
    }

    CompletableFuture<TaskResult> start(TaskRequest request) {
        return executor.start(request, sink);
    }

    TaskResult run(TaskRequest request) {
        return resultOf(start(request));
    }

    TaskResult run(String command) {
        return run(request(command));
    }

    static TaskResult resultOf(CompletableFuture<TaskResult> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("attempt did not complete", e);
        }
    }

    /** Whether a process with this pid is running (zombies are not). */
    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    long readPid(String file) throws IOException {
        return Long.parseLong(Files.readString(workdir.resolve(file)).trim());
    }

    /** Content files in the store (its temporary folder aside). */
    long storedFiles() throws IOException {
        Path root = store.root();
        if (!Files.exists(root)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.startsWith(root.resolve(".tmp"))).count();
        }
    }
}
