package dev.sluice.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.dag.Planner;
import dev.sluice.engine.dag.Plan;
import dev.sluice.engine.pipeline.PipelineLoader;
import dev.sluice.engine.scheduler.NewRun;
import dev.sluice.engine.store.Change;
import dev.sluice.engine.store.PipelineVersion;
import dev.sluice.engine.store.Store;
import dev.sluice.engine.store.Stores;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs triggered at the same time share commits, and each request still gets exactly its own outcome. */
class GroupCommitTest {

    private static final String YAML = "name: two\nsteps:\n  - {id: a, run: \"true\"}\n  - {id: b, run: \"true\", needs: [a]}\n";

    @TempDir
    Path dir;

    @Test
    void everyConcurrentRequestFindsItsRunCommittedAndABadOneFailsAlone() throws Exception {
        try (Store store = Stores.open(null, dir.resolve("data"))) {
            PipelineVersion version = store.savePipeline("two", YAML);
            Plan plan = Planner.plan(PipelineLoader.parse("two.yaml", YAML, dir).pipeline());
            GroupCommit commits = new GroupCommit(store);
            Change.CreateRun existing = create("20261207T000000Z-000000", version, plan);
            commits.commit(List.of(existing));

            ExecutorService threads = Executors.newFixedThreadPool(16);
            List<Future<String>> outcomes = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            try {
                for (int i = 0; i < 64; i++) {
                    // every 16th request creates a run whose id is taken: only that request may fail
                    String id = i % 16 == 5 ? existing.run().id() : NewRun.newId(Instant.now()) + i;
                    ids.add(id);
                    Callable<String> request = () -> {
                        try {
                            commits.commit(List.of(create(id, version, plan)));
                            return "committed";
                        } catch (RuntimeException e) {
                            return "failed";
                        }
                    };
                    outcomes.add(threads.submit(request));
                }
                for (int i = 0; i < ids.size(); i++) {
                    String expected = i % 16 == 5 ? "failed" : "committed";
                    assertThat(outcomes.get(i).get()).as("request %d", i).isEqualTo(expected);
                    assertThat(store.run(ids.get(i))).as("run of request %d", i).isPresent();
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }

    private static Change.CreateRun create(String id, PipelineVersion version, Plan plan) {
        Instant now = Instant.now();
        return NewRun.create(id, version, plan, Map.of(), "manual", now, now, null);
    }
}
