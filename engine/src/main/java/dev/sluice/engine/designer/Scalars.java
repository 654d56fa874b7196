package dev.sluice.engine.designer;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Values of YAML nodes as the pipeline reader types them (only {@code true}/{@code false} are
 * booleans; {@code key:} is null), and which strings cannot be written plain because they would
 * read back as something else.
 */
final class Scalars {

    private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
    private static final Pattern BOOL = Pattern.compile("true|True|TRUE|false|False|FALSE");
    private static final Pattern INT = Pattern.compile("[-+]?(0|[1-9][0-9]*)");
    private static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    /** Anything a YAML 1.1 or 1.2 reader might take for a number, a date or a special float: quoted when a string. */
    private static final Pattern NUMBERISH = Pattern.compile(
            "[-+]?[0-9.][0-9a-fA-F_.:xXoObB+-]*([eE][-+]?[0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");

    private Scalars() {
    }

    /** A scalar's value: String, Long, BigInteger, Double, Boolean or null. */
    static Object value(ScalarNode s) {
        String text = s.getValue();
        if (s.getScalarStyle() != ScalarStyle.PLAIN) return text;
        return plainValue(text);
    }

    /** Whether a text is a number as the pipeline reader reads one ({@code 1}, {@code 1.0}, {@code 1e3}). */
    static boolean isNumber(String text) {
        return INT.matcher(text).matches() || FLOAT.matcher(text).matches() && !text.equals(".") && !text.isEmpty();
    }

    /** The value of a plain (unquoted) scalar's text. */
    static Object plainValue(String text) {
        if (NULL.matcher(text).matches()) return null;
        if (BOOL.matcher(text).matches()) return Boolean.valueOf(text.toLowerCase(java.util.Locale.ROOT));
        if (INT.matcher(text).matches()) {
            BigInteger big = new BigInteger(text);
            return big.bitLength() < 64 ? (Object) big.longValue() : big;
        }
        if (FLOAT.matcher(text).matches()) return Double.valueOf(text);
        return text;
    }

    /** A node as plain Java: maps (keys in file order), lists, scalars as {@link #value}. */
    static Object value(Node n) {
        if (n instanceof ScalarNode s) return value(s);
        if (n instanceof SequenceNode seq) {
            List<Object> out = new ArrayList<>();
            for (Node item : seq.getValue()) out.add(value(item));
            return out;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (NodeTuple t : ((MappingNode) n).getValue()) {
            String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : String.valueOf(value(t.getKeyNode()));
            out.putIfAbsent(key, value(t.getValueNode()));
        }
        return out;
    }

    /** Whether a string written plain would read back as a null, a boolean or a number. */
    static boolean readsAsOther(String s) {
        return NULL.matcher(s).matches() || BOOL.matcher(s).matches() || NUMBERISH.matcher(s).matches();
    }
}
