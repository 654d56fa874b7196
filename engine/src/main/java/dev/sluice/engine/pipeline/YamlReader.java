package dev.sluice.engine.pipeline;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.engine.pipeline.YamlNode.Entry;
import dev.sluice.engine.pipeline.YamlNode.YamlList;
import dev.sluice.engine.pipeline.YamlNode.YamlMap;
import dev.sluice.engine.pipeline.YamlNode.YamlScalar;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * The token pass: Jackson's YAML parser into a {@link YamlNode} tree. Refuses, each as a located
 * problem, duplicate keys, anchors, aliases, custom tags, nesting deeper than {@value #MAX_DEPTH}
 * and more than one document; malformed YAML gives one problem where the parser stopped.
 */
final class YamlReader {

    static final int MAX_DEPTH = 64;
    static final int MAX_BYTES = 1 << 20;
    /** After this many token problems the file is not worth reading on (an alias bomb has hundreds). */
    static final int MAX_PROBLEMS = 20;

    private static final CheckingYamlFactory FACTORY = CheckingYamlFactory.create(MAX_BYTES + 16, MAX_DEPTH);

    private static final java.util.regex.Pattern CANNOT_START =
            java.util.regex.Pattern.compile("found character '(.)' that cannot start any token");

    private final Problems problems;
    /** Keys (String) and list indexes (Integer) down to the current node; a path is made only for a problem. */
    private final List<Object> where = new ArrayList<>();
    private CheckingYamlParser parser;

    private YamlReader(Problems problems) {
        this.problems = problems;
    }

    /** The tree, or null when the text is empty or not usable YAML (then problems say why). */
    static YamlNode read(String text, Problems problems) {
        return new YamlReader(problems).read(text);
    }

    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stop() {
            super(null, null, false, false);
        }
    }

    private YamlNode read(String text) {
        int before = problems.size();
        try (CheckingYamlParser p = (CheckingYamlParser) FACTORY.createParser(new StringReader(text))) {
            parser = p;
            JsonToken first = p.nextToken();
            if (first == null || (first == JsonToken.VALUE_NULL && p.nextToken() == null)) {
                problems.add(problems.at(1, 1), "", "empty", "file is empty: a pipeline needs at least name and steps");
                return null;
            }
            YamlNode root = value(first, 1);
            JsonToken next = p.nextToken();
            flushIssues();
            if (next != null) {
                problems.add(here(), "", "multiple-documents",
                        "a pipeline file holds one YAML document; another one starts here");
            }
            return problems.size() == before ? root : null;
        } catch (Stop stop) {
            return null;
        } catch (JsonProcessingException e) {
            flushIssues();
            syntaxError(e);
            return null;
        } catch (IOException e) {
            problems.add(problems.at(1, 1), "", "yaml", "cannot read YAML: " + oneLine(e.getMessage()));
            return null;
        }
    }

    private String path() {
        String path = "";
        for (Object segment : where) {
            path = segment instanceof Integer i ? Paths.item(path, i) : Paths.child(path, (String) segment);
        }
        return path;
    }

    private YamlNode value(JsonToken token, int depth) throws IOException {
        flushIssues();
        Location at = here();
        switch (token) {
            case START_OBJECT -> {
                tooDeep(depth, at);
                Map<String, Entry> entries = new LinkedHashMap<>();
                JsonToken t;
                while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    Location keyAt = here();
                    where.add(key);
                    YamlNode child = value(parser.nextToken(), depth + 1);
                    Entry previous = entries.get(key);
                    if (previous != null) {
                        problem(keyAt, path(), "duplicate-key", "duplicate key '" + key + "' (first at line "
                                + previous.keyLocation().line() + ")");
                    } else {
                        entries.put(key, new Entry(key, keyAt, child));
                    }
                    where.remove(where.size() - 1);
                }
                if (t != JsonToken.END_OBJECT) throw new IOException("unexpected end of mapping");
                return new YamlMap(at, entries);
            }
            case START_ARRAY -> {
                tooDeep(depth, at);
                List<YamlNode> items = new ArrayList<>();
                JsonToken t;
                while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == null) throw new IOException("unexpected end of list");
                    where.add(items.size());
                    items.add(value(t, depth + 1));
                    where.remove(where.size() - 1);
                }
                return new YamlList(at, items);
            }
            default -> {
                return scalar(token, at);
            }
        }
    }

    private YamlScalar scalar(JsonToken token, Location where) throws IOException {
        ScalarEvent event = parser.lastScalar();
        String text = event == null || parser.isCurrentAlias() ? parser.getText() : event.getValue();
        char style = event == null ? ' ' : style(event.getScalarStyle());
        int endLine = event == null ? where.line() : event.getEndMark().getLine() + 1;
        Object value;
        switch (token) {
            case VALUE_NULL -> value = null;
            case VALUE_TRUE -> value = Boolean.TRUE;
            case VALUE_FALSE -> value = Boolean.FALSE;
            case VALUE_NUMBER_INT -> value = integer();
            case VALUE_NUMBER_FLOAT -> value = floating(text);
            default -> value = text == null ? "" : text;
        }
        return new YamlScalar(where, value, text == null ? "" : text, style, endLine);
    }

    private Object integer() {
        try {
            Number n = parser.getNumberValue();
            if (n instanceof BigInteger big) return big.bitLength() < 64 ? (Object) big.longValue() : big;
            return n.longValue();
        } catch (IOException | RuntimeException e) {
            ScalarEvent event = parser.lastScalar();
            return event == null ? "" : event.getValue();
        }
    }

    private Object floating(String text) {
        try {
            return parser.getDoubleValue();
        } catch (IOException | RuntimeException e) {
            String t = text.toLowerCase(java.util.Locale.ROOT);
            if (t.endsWith(".nan")) return Double.NaN;
            if (t.endsWith(".inf")) return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            return text;
        }
    }

    private static char style(ScalarStyle style) {
        return switch (style) {
            case SINGLE_QUOTED -> '\'';
            case DOUBLE_QUOTED -> '"';
            case LITERAL -> '|';
            case FOLDED -> '>';
            default -> ' ';
        };
    }

    private void tooDeep(int depth, Location at) {
        if (depth > MAX_DEPTH) {
            problem(at, path(), "too-deep", "nesting deeper than " + MAX_DEPTH + " levels");
            throw new Stop();
        }
    }

    private Location here() {
        JsonLocation l = parser.currentTokenLocation();
        return problems.at(Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
    }

    private void flushIssues() {
        if (parser == null) return;
        List<CheckingYamlParser.Issue> issues = parser.issues();
        for (CheckingYamlParser.Issue i : issues) {
            problem(problems.at(i.line(), i.column()), "", i.code(), i.message());
        }
        issues.clear();
    }

    private void problem(Location where, String path, String code, String message) {
        if (problems.size() >= MAX_PROBLEMS) {
            problems.add(where, path, "too-many-problems", "too many YAML problems; stopped reading here");
            throw new Stop();
        }
        problems.add(where, path, code, message);
    }

    private void syntaxError(JsonProcessingException e) {
        MarkedYAMLException marked = find(e, MarkedYAMLException.class);
        if (marked != null && marked.getProblemMark() != null) {
            Mark m = marked.getProblemMark();
            String message = "bad YAML: " + describe(marked.getProblem());
            Mark c = marked.getContextMark();
            if (marked.getContext() != null && c != null && c.getLine() != m.getLine()) {
                message += " (" + marked.getContext() + " that starts at line " + (c.getLine() + 1) + ")";
            }
            problems.add(problems.at(m.getLine() + 1, m.getColumn() + 1), "", "yaml", message);
            return;
        }
        JsonLocation l = e.getLocation();
        Location where = l == null ? problems.at(1, 1)
                : problems.at(Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        String message;
        if (original.startsWith("Expected a field name")) {
            message = "bad YAML: keys must be plain scalars, not lists or mappings";
        } else if (original.contains("exceeds the limit")) {
            message = "file is too large; the limit is 1 MiB";
        } else {
            message = "bad YAML: " + describe(original);
        }
        problems.add(where, "", "yaml", message);
    }

    /** SnakeYAML's wording made one line and free of parser internals. */
    private static String describe(String problem) {
        if (problem == null) return "cannot parse";
        if (problem.contains("\\t(TAB)")) return "tabs are not allowed for indentation; use spaces";
        java.util.regex.Matcher reserved = CANNOT_START.matcher(problem);
        if (reserved.find()) return "a plain value cannot start with '" + reserved.group(1) + "'; put the value in quotes";
        String s = oneLine(problem).replaceAll("<org\\.yaml[^>]*>", "").replaceAll("\\s+", " ").strip();
        s = s.replaceAll("but got ([^'\\s<]+)$", "but got '$1'");
        return s.isEmpty() ? "cannot parse" : s;
    }

    private static String oneLine(String s) {
        if (s == null) return "";
        int at = s.indexOf("\n at [Source");
        if (at >= 0) s = s.substring(0, at);
        return s.replace('\n', ' ').strip();
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) return type.cast(c);
            if (c.getCause() == c) break;
        }
        return null;
    }
}
