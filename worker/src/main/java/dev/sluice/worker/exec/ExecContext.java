package dev.sluice.worker.exec;

import dev.sluice.worker.artifact.ArtifactStore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every attempt of one {@link LocalExecutor} shares.
 *
 * @param pool    runs attempts and their log pumps (three threads per running attempt, reused)
 * @param timer   timeouts and kill deadlines
 * @param baseEnv the worker's environment, read once
 * @param cookies  hands each attempt the mark its processes carry in their environment
 * @param lease    asked just before and just after each launch: a worker that lost its lease starts nothing
 * @param cgroups  a cgroup v2 per attempt, where this process may create them
 * @param pythonHelper the folder holding {@code sluice_step.py}, added to every step's {@code PYTHONPATH}
 */
record ExecContext(
        ArtifactStore store,
        Workspace workspace,
        ProcessTree tree,
        ExecutorService pool,
        ScheduledExecutorService timer,
        MetricsFile metrics,
        Map<String, String> baseEnv,
        String worker,
        Duration killGrace,
        Cookie cookies,
        Lease lease,
        Optional<Cgroups> cgroups,
        Path pythonHelper) {}
