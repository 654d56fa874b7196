package dev.sluice.engine.designer;

import dev.sluice.engine.designer.Steps.Item;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Applies edits to a pipeline text, one after another, each as the smallest rewrite that makes
 * it ({@link Blocks}). An edit that does not fit the text is refused with {@link EditRefused}
 * and nothing is changed. An edit that changes nothing (connecting steps already connected)
 * gives the same text back.
 */
final class Editor {

    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    private Editor() {
    }

    /** @throws EditRefused naming the index of the edit refused */
    static String apply(String text, List<EditOp> ops) {
        if (ops.isEmpty()) return text;
        Doc d;
        try {
            d = start(text);
        } catch (EditRefused e) {
            throw e.at(0);
        }
        for (int i = 0; i < ops.size(); i++) {
            try {
                d = apply(d, ops.get(i));
            } catch (EditRefused e) {
                throw e.at(i);
            }
        }
        return d.text;
    }

    private static Doc start(String text) {
        Doc d;
        try {
            d = Doc.parse(text);
        } catch (YAMLException e) {
            throw EditRefused.conflict("unparsable", "the text is not YAML the designer can edit; fix it first ("
                    + firstLine(e.getMessage()) + ")");
        }
        if (d.root != null && d.rootMap() == null) {
            throw EditRefused.conflict("not-a-mapping", "the text is not a mapping of pipeline fields (name, steps...)");
        }
        return d;
    }

    private static Doc apply(Doc d, EditOp op) {
        if (op instanceof EditOp.AddStep a) return addStep(d, a);
        if (op instanceof EditOp.RemoveStep r) return removeStep(d, r.id());
        if (op instanceof EditOp.RenameStep r) return renameStep(d, r.id(), r.to());
        if (op instanceof EditOp.SetStepField s) return setStepField(d, s);
        if (op instanceof EditOp.Connect c) return connect(d, c.from(), c.to());
        if (op instanceof EditOp.Disconnect c) return disconnect(d, c.from(), c.to());
        EditOp.SetPipelineField s = (EditOp.SetPipelineField) op;
        return setPipelineField(d, s.field(), s.value());
    }

    // ---- pipeline

    private static Doc setPipelineField(Doc d, String field, Object value) {
        if (!SpecOrder.PIPELINE_FIELDS.contains(field)) {
            throw EditRefused.conflict("bad-field", "'" + field + "' is not a pipeline field this edit sets; one of "
                    + String.join(", ", SpecOrder.PIPELINE_FIELDS) + (field.equals("steps") ? " (steps change through the step edits)" : ""));
        }
        return setTop(d, field, value);
    }

    /** Sets a top-level key, in a document that may not have any yet. */
    private static Doc setTop(Doc d, String key, Object value) {
        MappingNode root = d.rootMap();
        if (root != null) return Merge.set(d, Doc::rootMap, key, value, SpecOrder.PIPELINE);
        if (value == null) return d;
        String lines = new YamlWriter(2, d.nl).entry(key, value, 0, SpecOrder.PIPELINE.child(key));
        boolean noBreak = !d.text.isEmpty() && !d.text.endsWith("\n") && !d.text.endsWith("\r");
        return d.replace(d.text.length(), d.text.length(), (noBreak ? d.nl : "") + lines);
    }

    // ---- steps

    private static Doc addStep(Doc d, EditOp.AddStep a) {
        Steps steps = new Steps(d);
        Object idValue = a.step().get("id");
        if (!(idValue instanceof String id)) throw EditRefused.conflict("bad-id", "a new step needs an 'id' string");
        checkId(id);
        if (steps.has(id)) throw EditRefused.conflict("duplicate-id", "there is already a step '" + id + "'");
        Map<String, Object> step = new LinkedHashMap<>();
        for (Map.Entry<String, Object> f : a.step().entrySet()) {
            if (!f.getKey().equals("id")) checkStepField(f.getKey());
            Object v = f.getKey().equals("needs") ? noEmptyNeeds(f.getValue()) : f.getValue();
            if (v != null) step.put(f.getKey(), v);
        }
        if (step.containsKey("needs")) {
            for (String need : needList(step.get("needs"))) steps.require(need);
        }
        int after = steps.items.size() - 1;
        if (a.after() != null) after = steps.require(a.after()).index();
        if (steps.seq == null || steps.seq.getValue().isEmpty()) {
            List<Object> list = new ArrayList<>();
            list.add(step);
            return setTop(d, "steps", list);
        }
        return Blocks.insertItem(d, steps.seq, after, step, SpecOrder.STEP);
    }

    private static Doc removeStep(Doc d, String id) {
        Steps steps = new Steps(d);
        steps.require(id);
        for (Item it : steps.items) {
            if (it.map() != null && it.id() != null && !it.id().equals(id)) d = removeNeed(d, it.id(), id);
        }
        steps = new Steps(d);
        Item gone = steps.require(id);
        if (steps.items.size() == 1) return Blocks.set(d, d.rootMap(), "steps", List.of(), SpecOrder.PIPELINE);
        return Blocks.removeItem(d, steps.seq, gone.index());
    }

    private static Doc renameStep(Doc d, String id, String to) {
        Steps steps = new Steps(d);
        Item it = steps.require(id);
        checkId(to);
        if (id.equals(to)) return d;
        if (steps.has(to)) throw EditRefused.conflict("duplicate-id", "there is already a step '" + to + "'");
        d = Blocks.replaceScalar(d, Doc.get(it.map(), "id"), to);
        for (Item other : new Steps(d).items) {
            if (other.map() != null && other.id() != null) d = renameNeed(d, other.id(), id, to);
        }
        for (int i = 0; i < new Steps(d).items.size(); i++) d = renameRefs(d, i, id, to);
        return renameAlertRefs(d, id, to);
    }

    /** {@code steps.OLD} to {@code steps.NEW} in the {@code when} and {@code message} of every alert (v1.1). */
    private static Doc renameAlertRefs(Doc d, String from, String to) {
        if (d.rootMap() == null || !(Doc.get(d.rootMap(), "alerts") instanceof SequenceNode alerts)) return d;
        List<Node> scalars = new ArrayList<>();
        for (Node item : alerts.getValue()) {
            if (!(item instanceof MappingNode alert)) continue;
            for (String key : List.of("when", "message")) if (Doc.get(alert, key) instanceof ScalarNode s) scalars.add(s);
        }
        Doc before = d;
        scalars.sort(java.util.Comparator.comparingInt(before::start));
        for (int i = scalars.size() - 1; i >= 0; i--) { // from the end, so the offsets before stay right
            Node s = scalars.get(i);
            String source = d.text.substring(d.start(s), d.end(s));
            String renamed = StepRefs.rename(source, from, to, false);
            if (!renamed.equals(source)) d = d.replace(d.start(s), d.end(s), renamed);
        }
        return d;
    }

    /** {@code steps.OLD} to {@code steps.NEW} in the run, if and env values of step {@code index}. */
    private static Doc renameRefs(Doc d, int index, String from, String to) {
        List<Node> scalars = new ArrayList<>();
        MappingNode map = new Steps(d).items.get(index).map();
        if (map == null) return d;
        for (String key : List.of("run", "if")) if (Doc.get(map, key) instanceof ScalarNode s) scalars.add(s);
        if (Doc.get(map, "env") instanceof MappingNode env) {
            for (NodeTuple t : env.getValue()) if (t.getValueNode() instanceof ScalarNode s) scalars.add(s);
        }
        Node promoteIf = null;
        Node registerFrom = null;
        if (Doc.get(map, "register") instanceof MappingNode register) {
            if (Doc.get(register, "from") instanceof ScalarNode s) registerFrom = s;
            if (Doc.get(register, "promote") instanceof MappingNode promote && Doc.get(promote, "if") instanceof ScalarNode s) {
                promoteIf = s;
            }
        }
        if (promoteIf != null) scalars.add(promoteIf);
        if (registerFrom != null) scalars.add(registerFrom);
        // from the end of the file, so the offsets of the ones before stay right
        Doc before = d;
        scalars.sort(java.util.Comparator.comparingInt(before::start));
        for (int i = scalars.size() - 1; i >= 0; i--) {
            Node s = scalars.get(i);
            boolean bare = s == Doc.get(map, "if") || s == promoteIf;
            String source = d.text.substring(d.start(s), d.end(s));
            String renamed = s == registerFrom ? StepRefs.renameFrom(source, from, to) : StepRefs.rename(source, from, to, bare);
            if (!renamed.equals(source)) d = d.replace(d.start(s), d.end(s), renamed);
        }
        return d;
    }

    private static Doc setStepField(Doc d, EditOp.SetStepField s) {
        checkStepField(s.field());
        Steps steps = new Steps(d);
        Item it = steps.require(s.id());
        if (s.field().equals("needs") && s.value() != null) {
            List<String> before = Steps.needs(it.map());
            for (String need : needList(s.value())) {
                steps.require(need);
                if (!before.contains(need)) steps.refuseCycle(need, s.id());
            }
        }
        Object value = s.field().equals("needs") ? noEmptyNeeds(s.value()) : s.value();
        String id = s.id();
        return Merge.set(d, doc -> new Steps(doc).require(id).map(), s.field(), value, SpecOrder.STEP);
    }

    /** An empty needs is no needs: written as no key at all, as disconnecting the last edge leaves it. */
    private static Object noEmptyNeeds(Object needs) {
        return needs instanceof List<?> l && l.isEmpty() ? null : needs;
    }

    private static Doc connect(Doc d, String from, String to) {
        Steps steps = new Steps(d);
        steps.require(from);
        Item target = steps.require(to);
        if (Steps.needs(target.map()).contains(from)) return d;
        steps.refuseCycle(from, to);
        return addNeed(d, to, from);
    }

    private static Doc disconnect(Doc d, String from, String to) {
        Steps steps = new Steps(d);
        steps.require(from);
        Item target = steps.require(to);
        return removeNeed(d, to, from);
    }

    // ---- needs, changed in the form they were written in: a lone id, a flow list or a block list

    /** Every {@code from} in a step's needs becomes {@code to}, in place. */
    private static Doc renameNeed(Doc d, String stepId, String from, String to) {
        while (true) {
            Node needs = Doc.get(new Steps(d).require(stepId).map(), "needs");
            ScalarNode found = null;
            if (needs instanceof ScalarNode s && s.getValue().equals(from) && !d.isEmpty(s)) found = s;
            if (needs instanceof SequenceNode seq) {
                for (Node n : seq.getValue()) if (n instanceof ScalarNode s && s.getValue().equals(from)) found = s;
            }
            if (found == null) return d;
            d = Blocks.replaceScalar(d, found, to);
        }
    }

    /** Removes {@code need} from a step's needs; the key goes when nothing is left. */
    private static Doc removeNeed(Doc d, String stepId, String need) {
        while (true) {
            MappingNode map = new Steps(d).require(stepId).map();
            List<String> needs = Steps.needs(map);
            if (!needs.contains(need)) return d;
            Node node = Doc.get(map, "needs");
            if (needs.stream().allMatch(need::equals) || !(node instanceof SequenceNode seq)) {
                return Blocks.remove(d, map, "needs");
            }
            int index = 0;
            for (int i = 0; i < seq.getValue().size(); i++) {
                if (seq.getValue().get(i) instanceof ScalarNode s && s.getValue().equals(need)) index = i;
            }
            d = Blocks.removeItem(d, seq, index);
        }
    }

    /** Adds {@code need} at the end of a step's needs. */
    private static Doc addNeed(Doc d, String stepId, String need) {
        MappingNode map = new Steps(d).require(stepId).map();
        Node node = Doc.get(map, "needs");
        if (node instanceof SequenceNode seq && !seq.getValue().isEmpty()) {
            return Blocks.insertItem(d, seq, seq.getValue().size() - 1, need, SpecOrder.FREE);
        }
        List<Object> values = new ArrayList<>();
        if (node instanceof ScalarNode s && !d.isEmpty(s) && Scalars.value(s) != null) values.add(Blocks.flowValue(d, s));
        values.add(need);
        return Blocks.set(d, map, "needs", values, SpecOrder.STEP);
    }

    // ---- checks

    private static void checkId(String id) {
        if (!ID.matcher(id).matches()) {
            throw EditRefused.conflict("bad-id", "'" + id + "' is not a valid step id: lower-case letters, digits, '-' and '_',"
                    + " starting with a letter or digit, at most 63 characters");
        }
    }

    private static void checkStepField(String field) {
        if (!SpecOrder.STEP_FIELDS.contains(field)) {
            throw EditRefused.conflict("bad-field", "'" + field + "' is not a step field this edit sets; one of "
                    + String.join(", ", SpecOrder.STEP_FIELDS) + (field.equals("id") ? " (renameStep changes an id)" : ""));
        }
    }

    private static List<String> needList(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof String s) {
            out.add(s);
        } else if (value instanceof List<?> list) {
            for (Object o : list) {
                if (!(o instanceof String s)) throw EditRefused.conflict("bad-needs", "needs is a list of step ids");
                out.add(s);
            }
        } else {
            throw EditRefused.conflict("bad-needs", "needs is a list of step ids");
        }
        return out;
    }

    private static String firstLine(String s) {
        if (s == null) return "cannot parse";
        String one = s.strip().split("\\R", 2)[0];
        return one.isEmpty() ? "cannot parse" : one;
    }
}
