package dev.sluice.engine.designer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What changed between two answers of the designer's edit endpoint, so that an edit of a 2,000-step
 * file sends back a few hundred bytes instead of the whole text, document and layout. Pure.
 *
 * <p>A text change is one replaced range: {@code {"start", "end", "text"}} (UTF-16 offsets into the
 * old text, as Java and JavaScript strings count). A value change ({@link #of}) is null when equal,
 * else one of
 * <ul>
 * <li>{@code {"v": value}}: the new value whole;</li>
 * <li>{@code {"m": {key: change}, "d": [key...]}}: a map, its changed keys and removed ones;</li>
 * <li>{@code {"a": [start, deleteCount, [items...]]}}: a list, one run of items replaced (the
 *     common head and tail kept);</li>
 * <li>{@code {"i": [index, change]}}: a list, one item changed in place (a step's one field).</li>
 * </ul>
 * {@code js/editor/delta.js} applies both.
 */
public final class Delta {

    private Delta() {
    }

    /** The one range of {@code before} that {@code after} replaces, as {@code {"start", "end", "text"}}. */
    public static Map<String, Object> text(String before, String after) {
        int n = Math.min(before.length(), after.length());
        int start = 0;
        while (start < n && before.charAt(start) == after.charAt(start)) start++;
        // never split a surrogate pair
        if (start > 0 && Character.isHighSurrogate(before.charAt(start - 1))) start--;
        int endB = before.length(), endA = after.length();
        while (endB > start && endA > start && before.charAt(endB - 1) == after.charAt(endA - 1)) {
            endB--;
            endA--;
        }
        if (endB < before.length() && Character.isLowSurrogate(before.charAt(endB))) {
            endB++;
            endA++;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("start", start);
        m.put("end", endB);
        m.put("text", after.substring(start, endA));
        return m;
    }

    /** Applies a {@link #text} change to the text it was made from (the edit endpoint applies the patch an editor sends). */
    public static String applyText(String before, Map<String, Object> change) {
        int start = (Integer) change.get("start");
        int end = (Integer) change.get("end");
        return before.substring(0, start) + change.get("text") + before.substring(end);
    }

    /** The change from {@code before} to {@code after} (maps, lists, scalars), or null when equal. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> of(Object before, Object after) {
        if (Objects.equals(before, after)) return null;
        if (before instanceof Map<?, ?> a && after instanceof Map<?, ?> b) {
            if (!sameOrderAfterPatch(a, b)) return whole(after); // before working out any key's change
            Map<String, Object> changed = new LinkedHashMap<>();
            List<String> removed = new ArrayList<>();
            for (Map.Entry<?, ?> e : b.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (!a.containsKey(e.getKey())) {
                    changed.put(key, whole(e.getValue()));
                } else {
                    Map<String, Object> d = of(a.get(e.getKey()), e.getValue());
                    if (d != null) changed.put(key, d);
                }
            }
            for (Object k : a.keySet()) if (!b.containsKey(k)) removed.add(String.valueOf(k));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("m", changed);
            if (!removed.isEmpty()) m.put("d", removed);
            return m;
        }
        if (before instanceof List<?> a && after instanceof List<?> b) {
            int head = 0;
            int n = Math.min(a.size(), b.size());
            while (head < n && Objects.equals(a.get(head), b.get(head))) head++;
            int tailA = a.size(), tailB = b.size();
            while (tailA > head && tailB > head && Objects.equals(a.get(tailA - 1), b.get(tailB - 1))) {
                tailA--;
                tailB--;
            }
            // one item changed in place: its own change (a step's one field, not the whole step)
            if (tailA - head == 1 && tailB - head == 1) {
                Map<String, Object> inner = of(a.get(head), b.get(head));
                if (inner != null && !inner.containsKey("v")) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("i", List.of(head, inner));
                    return m;
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("a", List.of(head, tailA - head, new ArrayList<>(b.subList(head, tailB))));
            return m;
        }
        return whole(after);
    }

    /** Whether patching keeps {@code after}'s key order (kept keys in place, new ones at the end): it is shown. */
    private static boolean sameOrderAfterPatch(Map<?, ?> before, Map<?, ?> after) {
        List<Object> expected = new ArrayList<>();
        for (Object k : before.keySet()) if (after.containsKey(k)) expected.add(k);
        for (Object k : after.keySet()) if (!before.containsKey(k)) expected.add(k);
        return expected.equals(new ArrayList<>(after.keySet()));
    }

    private static Map<String, Object> whole(Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", value);
        return m;
    }
}
