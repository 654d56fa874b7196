package dev.sluice.engine.store;

import dev.sluice.worker.protocol.Artifact;
import java.util.List;
import java.util.Map;

/** The stored result of an earlier successful attempt that a cached step can reuse. */
public record CacheHit(String runId, String taskId, int attempt, List<Artifact> outputs, Map<String, Double> metrics) {}
