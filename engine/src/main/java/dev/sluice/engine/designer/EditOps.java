package dev.sluice.engine.designer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the {@code edits} of a request: each a JSON object with an {@code op} and its fields. */
public final class EditOps {

    /** Most edits one request may carry. */
    public static final int MAX_EDITS = 1000;

    private EditOps() {
    }

    /** @throws EditRefused (400) naming the first malformed edit */
    public static List<EditOp> read(JsonNode edits) {
        if (edits == null || edits.isNull() || edits.isMissingNode()) return List.of();
        if (!edits.isArray()) throw EditRefused.badRequest("bad-edit", "'edits' must be a list of edits");
        if (edits.size() > MAX_EDITS) {
            throw EditRefused.badRequest("too-many-edits", edits.size() + " edits in one request; the limit is " + MAX_EDITS);
        }
        List<EditOp> ops = new ArrayList<>();
        for (int i = 0; i < edits.size(); i++) {
            try {
                ops.add(one(edits.get(i)));
            } catch (EditRefused e) {
                throw e.at(i);
            }
        }
        return ops;
    }

    private static EditOp one(JsonNode e) {
        if (!e.isObject()) throw EditRefused.badRequest("bad-edit", "an edit is an object with an 'op'");
        String op = text(e, "op");
        return switch (op) {
            case "addStep" -> {
                allow(e, "op", "step", "after");
                JsonNode step = e.get("step");
                if (step == null || !step.isObject()) throw EditRefused.badRequest("bad-edit", "addStep needs a 'step' object");
                @SuppressWarnings("unchecked")
                Map<String, Object> fields = (Map<String, Object>) java(step);
                yield new EditOp.AddStep(fields, optionalText(e, "after"));
            }
            case "removeStep" -> {
                allow(e, "op", "id");
                yield new EditOp.RemoveStep(text(e, "id"));
            }
            case "renameStep" -> {
                allow(e, "op", "id", "to");
                yield new EditOp.RenameStep(text(e, "id"), text(e, "to"));
            }
            case "setStepField" -> {
                allow(e, "op", "id", "field", "value");
                yield new EditOp.SetStepField(text(e, "id"), text(e, "field"), value(e));
            }
            case "connect" -> {
                allow(e, "op", "from", "to");
                yield new EditOp.Connect(text(e, "from"), text(e, "to"));
            }
            case "disconnect" -> {
                allow(e, "op", "from", "to");
                yield new EditOp.Disconnect(text(e, "from"), text(e, "to"));
            }
            case "setPipelineField" -> {
                allow(e, "op", "field", "value");
                yield new EditOp.SetPipelineField(text(e, "field"), value(e));
            }
            default -> throw EditRefused.badRequest("bad-edit", "unknown op '" + op
                    + "'; one of addStep, removeStep, renameStep, setStepField, connect, disconnect, setPipelineField");
        };
    }

    private static Object value(JsonNode e) {
        if (!e.has("value")) throw EditRefused.badRequest("bad-edit", e.get("op").asText() + " needs a 'value' (null removes the field)");
        return java(e.get("value"));
    }

    private static void allow(JsonNode e, String... names) {
        for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!List.of(names).contains(name)) {
                throw EditRefused.badRequest("bad-edit", "unknown field '" + name + "' in " + e.get("op").asText());
            }
        }
    }

    private static String text(JsonNode e, String name) {
        JsonNode v = e.get(name);
        if (v == null || !v.isTextual()) throw EditRefused.badRequest("bad-edit", "'" + name + "' must be a string");
        return v.asText();
    }

    private static String optionalText(JsonNode e, String name) {
        JsonNode v = e.get(name);
        if (v == null || v.isNull()) return null;
        return text(e, name);
    }

    /** JSON as plain Java; numbers keep their kind (1 an integer, 1.0 a decimal). */
    static Object java(JsonNode n) {
        if (n == null || n.isNull()) return null;
        if (n.isObject() && n.size() == 1 && n.has("$number") && n.get("$number").isTextual()) {
            // a number as the user typed it (1.0, 1e3), which JSON would spell 1 and 1000
            String typed = n.get("$number").asText().strip();
            if (!Scalars.isNumber(typed)) throw EditRefused.badRequest("bad-edit", "'" + typed + "' is not a number");
            return new YamlWriter.Raw(typed);
        }
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            n.fields().forEachRemaining(f -> m.put(f.getKey(), java(f.getValue())));
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            n.forEach(item -> l.add(java(item)));
            return l;
        }
        if (n.isBoolean()) return n.booleanValue();
        if (n.isIntegralNumber()) return n.canConvertToLong() ? (Object) n.longValue() : n.bigIntegerValue();
        if (n.isNumber()) return n.doubleValue();
        return n.asText();
    }
}
