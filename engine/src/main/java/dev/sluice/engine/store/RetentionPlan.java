package dev.sluice.engine.store;

import java.time.Instant;
import java.util.Collections;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a retention pass would delete from the database, and what it must keep.
 *
 * @param runs           ids of the ended runs that go, oldest first
 * @param runsByPipeline how many of them per pipeline
 * @param rows           rows that go with them, per table (lower case), {@code runs} included
 * @param logBytes       characters of log text among those rows
 * @param pinned         runs the policy selects but something keeps (a model version, an artifact a root needs)
 * @param keep           sha256 of every artifact a kept run or a {@link RetentionRoots root} references: never deleted
 */
public record RetentionPlan(Instant now, RetentionPolicy policy, List<String> runs, Map<String, Integer> runsByPipeline,
        Map<String, Long> rows, long logBytes, int pinned, Set<String> keep) {

    public RetentionPlan {
        runs = List.copyOf(runs);
        runsByPipeline = Collections.unmodifiableSortedMap(new TreeMap<>(runsByPipeline));
        rows = Collections.unmodifiableSortedMap(new TreeMap<>(rows));
        keep = Set.copyOf(keep);
    }
}
