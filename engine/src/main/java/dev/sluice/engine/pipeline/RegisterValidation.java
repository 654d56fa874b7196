package dev.sluice.engine.pipeline;

import dev.sluice.engine.pipeline.Drafts.Ref;
import dev.sluice.engine.pipeline.Drafts.StepDraft;
import java.util.HashMap;
import java.util.Map;

/**
 * Cross-checks of {@code register:} steps once every step is bound: {@code from} names a step in
 * {@code needs} (not a matrix step) and one of its declared outputs; a register step runs no
 * command, so fields that only mean something for a process are refused.
 */
final class RegisterValidation {

    private RegisterValidation() {
    }

    static void check(Iterable<StepDraft> steps, Problems problems) {
        Map<String, StepDraft> byId = new HashMap<>();
        for (StepDraft s : steps) if (s.id() != null) byId.putIfAbsent(s.id(), s);
        for (StepDraft s : steps) {
            if (s.register() == null) continue;
            var reg = s.register();
            String from = reg.register().fromStep();
            String output = reg.register().fromOutput();
            boolean needed = false;
            for (Ref need : s.needs()) needed |= need.id().equals(from);
            StepDraft up = byId.get(from);
            if (!needed) {
                problems.add(reg.fromLocation(), reg.fromPath(), "bad-from", "from '" + reg.register().from()
                        + "': step '" + from + "' is not in needs", up == null ? null : "add " + from + " to needs");
            } else if (up != null && !up.matrix().isEmpty()) {
                problems.add(reg.fromLocation(), reg.fromPath(), "bad-from", "from '" + reg.register().from()
                        + "': step '" + from + "' has a matrix, so it has one output per variant",
                        "register from a step that picks one variant, e.g. an evaluate step");
            } else if (up != null && up.register() == null && !declares(up, output)) {
                problems.add(reg.fromLocation(), reg.fromPath(), "bad-from", "from '" + reg.register().from()
                        + "': step '" + from + "' declares no output '" + output + "'",
                        up.outputs().isEmpty() ? "list it in that step's outputs"
                                : "its outputs are " + String.join(", ", up.outputs()));
            }
            if (!s.outputs().isEmpty()) {
                problems.add(s.location(), s.path() + ".outputs", "register-field",
                        "a register step writes no outputs: the engine registers the model itself");
            }
            if (!s.matrix().isEmpty()) {
                problems.add(s.location(), s.path() + ".matrix", "register-field", "a register step cannot have a matrix");
            }
            if (!s.models().isEmpty()) {
                problems.add(s.location(), s.path() + ".models", "register-field", "a register step consumes no models");
            }
        }
    }

    private static boolean declares(StepDraft up, String output) {
        String wanted = strip(output);
        for (String o : up.outputs()) if (strip(o).equals(wanted)) return true;
        return false;
    }

    private static String strip(String p) {
        String s = p.replace('\\', '/');
        while (s.startsWith("./")) s = s.substring(2);
        while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
        return s;
    }
}
