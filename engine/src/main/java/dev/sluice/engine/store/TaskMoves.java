package dev.sluice.engine.store;

import dev.sluice.engine.run.StepState;
import dev.sluice.engine.store.Change.SetTaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The task rows a commit writes: the moves of one task that follow each other (PENDING to QUEUED to
 * RUNNING in one scheduler turn) become one row update, compare-and-set on the first move's expected
 * state, with the values the moves one after the other would have left. Every move keeps its own
 * event ({@link #eventAttempts}). A move that does not start where the one before it ended is not
 * merged, so it fails its compare-and-set as it would have alone.
 */
final class TaskMoves {

    /**
     * One update of a task row. {@code startedAt} is null when no move went to RUNNING (the stored
     * start is kept); {@code endedAt} is always written; the counters left null keep their stored value.
     */
    record Write(String runId, String taskId, StepState expected, StepState next, String reason, Instant notBefore,
            Instant startedAt, Instant endedAt, Integer attempts, Integer retriesUsed, Boolean cached,
            Integer exitCode) {

        static Write of(SetTaskState move) {
            Instant at = move.at();
            return new Write(move.runId(), move.taskId(), move.expected(), move.next(), move.reason(), move.notBefore(),
                    move.next() == StepState.RUNNING ? at : null, move.next().terminal() ? at : null, move.attempts(),
                    move.retriesUsed(), move.cached(), move.exitCode());
        }

        /** This write followed by {@code move}: what the row holds after both. */
        Write then(SetTaskState move) {
            Write m = of(move);
            return new Write(runId, taskId, expected, move.next(), move.reason(), move.notBefore(),
                    m.startedAt != null ? m.startedAt : startedAt, m.endedAt,
                    m.attempts != null ? m.attempts : attempts, m.retriesUsed != null ? m.retriesUsed : retriesUsed,
                    m.cached != null ? m.cached : cached, m.exitCode != null ? m.exitCode : exitCode);
        }
    }

    private record Key(String runId, String taskId) {}

    private TaskMoves() {}

    /** The row updates for {@code moves}, in the order each task was first moved. */
    static List<Write> writes(List<SetTaskState> moves) {
        List<Write> writes = new ArrayList<>(moves.size());
        Map<Key, Integer> last = new HashMap<>();
        for (SetTaskState move : moves) {
            Key key = new Key(move.runId(), move.taskId());
            Integer at = last.get(key);
            if (at != null && writes.get(at).next() == move.expected()) {
                writes.set(at, writes.get(at).then(move));
            } else {
                last.put(key, writes.size());
                writes.add(Write.of(move));
            }
        }
        return writes;
    }

    /**
     * The attempt count each move's event records: the last count set by this move or an earlier move
     * of the same task among {@code moves}, or null where none set it (the stored count, which the
     * moves have not changed yet, is then the right one).
     */
    static List<Integer> eventAttempts(List<SetTaskState> moves) {
        List<Integer> counts = new ArrayList<>(moves.size());
        Map<Key, Integer> known = new HashMap<>();
        for (SetTaskState move : moves) {
            Key key = new Key(move.runId(), move.taskId());
            if (move.attempts() != null) known.put(key, move.attempts());
            counts.add(known.get(key));
        }
        return counts;
    }
}
