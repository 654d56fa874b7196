package dev.sluice.engine.expr;

import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CEL environment, in one place. Only classes of this package that run an expression touch
 * it, so a pipeline without expressions never loads CEL. Sandbox: CEL's standard functions and
 * macros only (no function of ours, so no file, process or class access); loops are bounded by
 * {@link #MAX_ITERATIONS} and an expression by {@link #MAX_LENGTH} characters.
 */
final class CelSetup {

    static final int MAX_LENGTH = 4096;
    static final int MAX_ITERATIONS = 10_000;

    static final CelOptions OPTIONS = CelOptions.current()
            .enableHeterogeneousNumericComparisons(true)
            .comprehensionMaxIterations(MAX_ITERATIONS)
            .maxExpressionCodePointSize(MAX_LENGTH)
            .maxParseRecursionDepth(100)
            .build();

    /** Parses, and is the base of the checking compilers (which add declarations). */
    static final CelCompiler BASE = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .build();

    static final CelType DYN_MAP = MapType.create(SimpleType.STRING, SimpleType.DYN);
    static final CelType METRICS = MapType.create(SimpleType.STRING, SimpleType.DOUBLE);
    static final CelType STEPS = MapType.create(SimpleType.STRING, DYN_MAP);

    private static final Pattern OVERLOAD =
            Pattern.compile("found no matching overload for '([^']*)' applied to '\\((.*?)\\)'.*");
    private static final Pattern UNDECLARED = Pattern.compile("undeclared reference to '([^']*)'.*");

    private CelSetup() {
    }

    /** What runs expressions: every root name is a map of dyn, so one program serves any scope. */
    static final class Runtime {
        static final CelCompiler COMPILER = BASE.toCompilerBuilder()
                .addVar("params", DYN_MAP)
                .addVar("matrix", DYN_MAP)
                .addVar("run", DYN_MAP)
                .addVar("steps", STEPS)
                .addVar("models", STEPS)
                .addVar("new", DYN_MAP)
                .addVar("current", DYN_MAP)
                .build();
        static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();

        private Runtime() {
        }
    }

    static CelType celType(ValueType t) {
        return switch (t) {
            case STRING -> SimpleType.STRING;
            case INT -> SimpleType.INT;
            case DOUBLE -> SimpleType.DOUBLE;
            case BOOL -> SimpleType.BOOL;
            case DYN -> SimpleType.DYN;
        };
    }

    /** Offset (char index) of an issue in the expression text, or -1. */
    static int offset(CelValidationResult result, CelIssue issue) {
        try {
            return result.getSource().getLocationOffset(issue.getSourceLocation()).orElse(-1);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** CEL's wording, made one line and readable: no candidate lists or grammar sets. */
    static ExpressionIssue issue(int offset, String celMessage) {
        String m = celMessage == null ? "invalid expression" : celMessage.replace('\n', ' ').strip();
        Matcher undeclared = UNDECLARED.matcher(m);
        if (undeclared.matches()) {
            return new ExpressionIssue(offset, "unknown-name", "unknown name '" + undeclared.group(1) + "'",
                    "expressions can use params, matrix, run and steps");
        }
        Matcher overload = OVERLOAD.matcher(m);
        if (overload.matches()) {
            return new ExpressionIssue(offset, "type-error", overloadMessage(overload.group(1), overload.group(2)), null);
        }
        if (m.startsWith("Syntax error: ")) m = m.substring("Syntax error: ".length());
        if (m.contains("'<EOF>'")) m = "the expression ends too early";
        m = m.replaceAll(" expecting \\{[^}]*}", "").replaceAll(" expecting '[^']*'", "");
        return new ExpressionIssue(offset, "bad-expression", "bad expression: " + m, null);
    }

    private static String overloadMessage(String function, String args) {
        String types = args.replace(", ", " and ");
        if (function.startsWith("_") && function.endsWith("_") && function.length() > 2) {
            String op = function.substring(1, function.length() - 1).replace("_", "");
            if (function.equals("_[_]")) return "cannot index " + args.split(", ")[0] + " with " + args.substring(args.indexOf(", ") + 2);
            return "cannot apply '" + op + "' to " + types;
        }
        if (function.equals("!_")) return "cannot apply '!' to " + types;
        if (function.equals("-_")) return "cannot negate " + types;
        return "no function '" + function + "' takes (" + args + ")";
    }
}
