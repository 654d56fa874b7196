package dev.sluice.engine.pipeline;

import dev.sluice.engine.expr.Spelling;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The params of one run: the declared defaults, overridden by values a trigger gives, each
 * checked against its param's type.
 */
public final class ParamValues {

    /**
     * The longest value a run may give a param, in characters. A param reaches the step as an
     * environment variable ({@code SLUICE_PARAM_*}) and often in its command: Linux refuses one
     * string over 128 KiB there ({@code MAX_ARG_STRLEN}, "Argument list too long" when the step
     * starts), so a larger value is refused when the run is asked for, not when its step starts.
     */
    public static final int MAX_VALUE_CHARS = 64 * 1024;

    private ParamValues() {
    }

    private static Object limited(Param p, Object value) {
        if (value instanceof String s && s.length() > MAX_VALUE_CHARS) {
            throw new IllegalArgumentException("param '" + p.name() + "' is " + s.length() + " characters long; a param value may have "
                    + MAX_VALUE_CHARS + " at most (it is passed to the step in its environment; pass large data as a file)");
        }
        return value;
    }

    /**
     * Params from text values (the CLI's {@code --param rows=100}).
     *
     * @return every declared param in declared order: String, Long, Double or Boolean values
     * @throws IllegalArgumentException for an unknown param or a value that does not fit its type
     */
    public static Map<String, Object> resolve(Map<String, Param> declared, Map<String, String> given) {
        Map<String, Object> values = defaults(declared);
        if (given != null) {
            given.forEach((name, text) -> values.put(name, limited(param(declared, name), fromText(param(declared, name), text))));
        }
        return Collections.unmodifiableMap(values);
    }

    /**
     * Params from JSON values (the REST API): numbers, booleans and strings as JSON gives them; a
     * string is also read as text for a number or boolean param ({@code "100"}).
     *
     * @throws IllegalArgumentException for an unknown param or a value that does not fit its type
     */
    public static Map<String, Object> resolveJson(Map<String, Param> declared, Map<String, Object> given) {
        Map<String, Object> values = defaults(declared);
        if (given != null) {
            given.forEach((name, value) -> values.put(name, limited(param(declared, name), fromJson(param(declared, name), value))));
        }
        return Collections.unmodifiableMap(values);
    }

    private static Map<String, Object> defaults(Map<String, Param> declared) {
        Map<String, Object> values = new LinkedHashMap<>();
        declared.forEach((name, p) -> values.put(name, p.defaultValue()));
        return values;
    }

    private static Param param(Map<String, Param> declared, String name) {
        Param p = declared.get(name);
        if (p != null) return p;
        if (declared.isEmpty()) throw new IllegalArgumentException("unknown param '" + name + "' (the pipeline has no params)");
        String hint = Spelling.didYouMean(name, declared.keySet());
        throw new IllegalArgumentException("unknown param '" + name + "'" + (hint == null ? "" : " (" + hint + ")"));
    }

    static Object fromText(Param p, String text) {
        if (text == null) throw mismatch(p, "nothing");
        String t = text.strip();
        switch (p.type()) {
            case STRING:
                return text;
            case INTEGER:
                try {
                    return Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
                } catch (NumberFormatException e) {
                    throw mismatch(p, "'" + text + "'");
                }
            case NUMBER:
                try {
                    if (t.isEmpty() || !t.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) throw new NumberFormatException();
                    double d = Double.parseDouble(t);
                    if (Double.isInfinite(d)) throw new NumberFormatException();
                    return d;
                } catch (NumberFormatException e) {
                    throw mismatch(p, "'" + text + "'");
                }
            default:
                if (t.equalsIgnoreCase("true")) return Boolean.TRUE;
                if (t.equalsIgnoreCase("false")) return Boolean.FALSE;
                throw mismatch(p, "'" + text + "'");
        }
    }

    static Object fromJson(Param p, Object value) {
        if (value instanceof String s) {
            if (p.type() == ParamType.STRING) return s;
            return fromText(p, s);
        }
        switch (p.type()) {
            case INTEGER:
                if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
                    return ((Number) value).longValue();
                }
                if (value instanceof BigInteger big && big.bitLength() < 64) return big.longValue();
                if (value instanceof Number n && isWhole(n)) return new BigDecimal(n.toString()).longValueExact();
                break;
            case NUMBER:
                if (value instanceof Number n) {
                    double d = n.doubleValue();
                    if (!Double.isNaN(d) && !Double.isInfinite(d)) return d;
                }
                break;
            case BOOLEAN:
                if (value instanceof Boolean b) return b;
                break;
            default:
                break;
        }
        throw mismatch(p, describe(value));
    }

    private static boolean isWhole(Number n) {
        try {
            BigDecimal d = new BigDecimal(n.toString());
            d.longValueExact();
            return true;
        } catch (NumberFormatException | ArithmeticException e) {
            return false;
        }
    }

    private static String describe(Object v) {
        if (v == null) return "null";
        if (v instanceof Number || v instanceof Boolean) return v.toString();
        return "a " + v.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    private static IllegalArgumentException mismatch(Param p, String got) {
        String type = switch (p.type()) {
            case STRING -> "a string";
            case INTEGER -> "an integer";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean (true or false)";
        };
        return new IllegalArgumentException("param '" + p.name() + "' is " + type + "; got " + got);
    }
}
