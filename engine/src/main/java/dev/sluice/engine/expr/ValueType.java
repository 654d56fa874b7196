package dev.sluice.engine.expr;

/** The static type of a name in expressions. */
public enum ValueType {
    STRING, INT, DOUBLE, BOOL,
    /** known only when the expression runs */
    DYN;

    /** The type of a Java value: String, Long/Integer, Double, Boolean; anything else is DYN. */
    public static ValueType of(Object value) {
        if (value instanceof String) return STRING;
        if (value instanceof Long || value instanceof Integer) return INT;
        if (value instanceof Double || value instanceof Float) return DOUBLE;
        if (value instanceof Boolean) return BOOL;
        return DYN;
    }

    /** The common type of several values: their type when they all share it, else DYN. */
    public static ValueType common(Iterable<?> values) {
        ValueType t = null;
        for (Object v : values) {
            ValueType vt = of(v);
            if (t == null) t = vt;
            else if (t != vt) return DYN;
        }
        return t == null ? DYN : t;
    }
}
