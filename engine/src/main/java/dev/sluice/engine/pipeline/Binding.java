package dev.sluice.engine.pipeline;

import dev.sluice.engine.expr.ExpressionException;
import dev.sluice.engine.expr.Template;
import dev.sluice.engine.pipeline.Drafts.ExprSite;
import dev.sluice.engine.pipeline.YamlNode.Entry;
import dev.sluice.engine.pipeline.YamlNode.YamlMap;
import dev.sluice.engine.pipeline.YamlNode.YamlScalar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks shared by the pipeline and its steps: ids, names, env, paths, templates. */
final class Binding {

    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    static final String ID_HINT = "use lowercase letters, digits, '_' and '-', starting with a letter or digit, at most 63 characters";
    /** Names usable after {@code params.} or {@code matrix.} in expressions and in env var names. */
    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    static final Set<String> RESERVED = Set.of("true", "false", "null", "in", "as", "break", "const", "continue",
            "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return", "var",
            "void", "while");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    final Problems problems;
    final SourceText source;

    Binding(Problems problems, SourceText source) {
        this.problems = problems;
        this.source = source;
    }

    /** An id (pipeline name or step id): reported when it does not match {@link #ID}. */
    boolean checkId(String id, String what, Location where, java.util.function.Supplier<String> path) {
        if (isId(id)) return true;
        problems.add(where, path.get(), "bad-id", "bad " + what + " '" + id + "'", ID_HINT);
        return false;
    }

    /** Same as matching {@link #ID}, without a regex: it runs for each of 10,000 steps. */
    static boolean isId(String id) {
        int n = id.length();
        if (n == 0 || n > 63) return false;
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || i > 0 && (c == '_' || c == '-');
            if (!ok) return false;
        }
        return true;
    }

    /** A param or matrix name: an identifier that is not a reserved word. */
    boolean checkName(String name, String what, Location where, String path) {
        if (!NAME.matcher(name).matches()) {
            problems.add(where, path, "bad-name", "bad " + what + " name '" + name + "'",
                    "use letters, digits and '_', not starting with a digit");
            return false;
        }
        if (RESERVED.contains(name)) {
            problems.add(where, path, "bad-name", what + " name '" + name + "' is a reserved word in expressions");
            return false;
        }
        return true;
    }

    /** An {@code env} mapping: names are variable names, values scalars (templates allowed). */
    Map<String, String> env(MapReader owner, String stepId, List<ExprSite> sites) {
        YamlMap m = owner.map("env");
        if (m == null) return Map.of();
        String path = owner.path("env");
        Map<String, String> env = new LinkedHashMap<>();
        for (Entry e : m.entries().values()) {
            String p = Paths.child(path, e.key());
            if (!ENV_NAME.matcher(e.key()).matches()) {
                problems.add(e.keyLocation(), p, "bad-name", "bad environment variable name '" + e.key() + "'",
                        "use letters, digits and '_', not starting with a digit");
                continue;
            }
            if (e.key().toUpperCase(Locale.ROOT).startsWith("SLUICE_")) {
                problems.add(e.keyLocation(), p, "bad-name", "environment variables starting with SLUICE_ are set by Sluice");
                continue;
            }
            if (!(e.value() instanceof YamlScalar s) || s.isNull()) {
                problems.add(e.value().location(), p, "wrong-type",
                        "env value '" + e.key() + "' must be a string, not " + e.value().kind());
                continue;
            }
            env.put(e.key(), s.text());
            templates(s, p, stepId, sites);
        }
        return env;
    }

    /** Records each {@code ${{ }}} of a scalar; reports one that is not closed or empty. */
    void templates(YamlScalar s, MapReader owner, String key, String stepId, List<ExprSite> sites) {
        if (Template.hasExpressions(s.text())) templates(s, owner.path(key), stepId, sites);
    }

    void templates(YamlScalar s, String path, String stepId, List<ExprSite> sites) {
        if (!Template.hasExpressions(s.text())) return;
        try {
            for (Template.Expr e : Template.parse(s.text()).expressions()) {
                sites.add(new ExprSite(e.expression(), s, e.offset(), path, stepId, false));
            }
        } catch (ExpressionException e) {
            problems.add(source.locate(s, e.offset()), path, "bad-expression", e.getMessage());
        }
    }

    /** The expression of an alert's {@code when:}, bare; null (reported) when it is not one expression. */
    String conditionForAlert(YamlScalar s, String path, List<ExprSite> sites) {
        return condition(s, path, null, sites);
    }

    /** The expression of an {@code if:}, bare; null (reported) when it is not one expression. */
    String condition(YamlScalar s, String path, String stepId, List<ExprSite> sites) {
        try {
            Template.Expr e = Template.condition(s.text());
            sites.add(new ExprSite(e.expression(), s, e.offset(), path, stepId, true));
            return e.expression();
        } catch (ExpressionException e) {
            problems.add(source.locate(s, Math.max(0, e.offset())), path, "bad-expression", e.getMessage());
            return null;
        }
    }

    /**
     * Why a relative path is refused, or null when it is fine: absolute, empty, or going above its
     * folder with {@code ..}.
     */
    static String pathProblem(String p, boolean mayBeFolderItself) {
        if (p.isBlank()) return "is empty";
        if (p.indexOf('\0') >= 0) return "holds a NUL character";
        if (p.startsWith("/") || p.startsWith("\\") || p.matches("^[A-Za-z]:[\\\\/].*")) return "must be relative";
        int depth = 0;
        for (String part : p.split("[/\\\\]+")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) {
                if (--depth < 0) return "must not go above its folder with '..'";
            } else {
                depth++;
            }
        }
        if (depth == 0 && !mayBeFolderItself) return "must name a file or folder inside it, not the folder itself";
        return null;
    }
}
