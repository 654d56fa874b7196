package dev.sluice.engine.expr;

import dev.cel.common.CelValidationResult;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Compiles (once per text) and evaluates expressions against a scope given as maps. */
final class CelEvaluator {

    private static final int MAX_CACHED = 10_000;

    private final Map<String, CelRuntime.Program> programs = new ConcurrentHashMap<>();

    Object eval(String expression, Map<String, Object> activation) {
        CelRuntime.Program program = program(expression);
        try {
            Object v = program.eval(activation);
            return normalize(v);
        } catch (CelEvaluationException e) {
            throw new ExpressionException("expression '" + shown(expression) + "' failed: " + clean(e.getMessage()));
        } catch (RuntimeException e) {
            throw new ExpressionException("expression '" + shown(expression) + "' failed: " + clean(String.valueOf(e.getMessage())));
        }
    }

    private CelRuntime.Program program(String expression) {
        CelRuntime.Program cached = programs.get(expression);
        if (cached != null) return cached;
        CelRuntime.Program p = compile(expression);
        if (programs.size() >= MAX_CACHED) programs.clear();
        programs.put(expression, p);
        return p;
    }

    private static CelRuntime.Program compile(String expression) {
        if (expression.length() > CelSetup.MAX_LENGTH) {
            throw new ExpressionException("expression is longer than " + CelSetup.MAX_LENGTH + " characters");
        }
        try {
            CelValidationResult r = CelSetup.Runtime.COMPILER.compile(expression);
            if (r.hasError()) {
                var first = r.getErrors().get(0);
                String msg = CelSetup.issue(CelSetup.offset(r, first), first.getMessage()).message();
                throw new ExpressionException("expression '" + shown(expression) + "': " + msg);
            }
            return CelSetup.Runtime.RUNTIME.createProgram(r.getAst());
        } catch (ExpressionException e) {
            throw e;
        } catch (Exception e) {
            throw new ExpressionException("expression '" + shown(expression) + "': " + clean(String.valueOf(e.getMessage())));
        }
    }

    /** CEL's values as plain Java: timestamps as Instant, durations as Duration, bytes as UTF-8 text. */
    static Object normalize(Object v) {
        if (v instanceof Integer i) return i.longValue();
        if (v instanceof Float f) return f.doubleValue();
        if (v instanceof com.google.common.primitives.UnsignedLong u) return u.bigIntegerValue();
        if (v instanceof com.google.protobuf.Timestamp t) return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
        if (v instanceof com.google.protobuf.Duration d) return Duration.ofSeconds(d.getSeconds(), d.getNanos());
        if (v instanceof com.google.protobuf.ByteString b) return b.toStringUtf8();
        if (v instanceof com.google.protobuf.NullValue) return null;
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) out.add(normalize(o));
            return out;
        }
        if (v instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, o) -> out.put(normalize(k), normalize(o)));
            return out;
        }
        return v;
    }

    private static String clean(String message) {
        String m = message.replace('\n', ' ').strip();
        m = m.replaceFirst("^evaluation error at <input>:\\d+: ", "").replaceFirst("^evaluation error: ", "");
        if (m.endsWith(".")) m = m.substring(0, m.length() - 1);
        return m.isEmpty() ? m : Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }

    /** The expression for a message: long ones are cut, so the message stays a readable line. */
    static String shown(String expression) {
        String one = expression.replaceAll("\\s+", " ");
        return one.length() <= 80 ? one : one.substring(0, 77) + "...";
    }
}
