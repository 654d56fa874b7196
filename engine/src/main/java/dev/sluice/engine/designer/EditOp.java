package dev.sluice.engine.designer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One edit of a pipeline text, as the designer sends it. Values are plain Java (maps, lists, strings, numbers, booleans, null). */
public sealed interface EditOp {

    /** A new step (its {@code id} and any step fields), after step {@code after} or, when null, at the end. */
    record AddStep(Map<String, Object> step, String after) implements EditOp {
        public AddStep {
            step = Collections.unmodifiableMap(new LinkedHashMap<>(step));
        }
    }

    /** Removes a step, and its id from every {@code needs}. */
    record RemoveStep(String id) implements EditOp {
    }

    /** Renames a step, in every {@code needs} and every {@code steps.ID} of an expression too. */
    record RenameStep(String id, String to) implements EditOp {
    }

    /** Sets one field of a step; a null value removes it. */
    record SetStepField(String id, String field, Object value) implements EditOp {
    }

    /** {@code to} needs {@code from}. */
    record Connect(String from, String to) implements EditOp {
    }

    /** {@code to} no longer needs {@code from}. */
    record Disconnect(String from, String to) implements EditOp {
    }

    /** Sets one top-level field other than {@code steps}; a null value removes it. */
    record SetPipelineField(String field, Object value) implements EditOp {
    }
}
