package dev.sluice.engine.designer;

import java.io.StringReader;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.CollectionNode;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A pipeline text with SnakeYAML's node tree over it, and the geometry an edit needs: where each
 * node starts and ends as char offsets into the text, where its content really ends (a block
 * collection's end mark runs on over trailing blank lines and comments), lines and columns.
 * Immutable; an edit makes a new text, parsed again.
 */
final class Doc {

    private static final int MAX_DEPTH = 64;

    final String text;
    /** The root node; null for a text with no document (empty, or only comments). */
    final Node root;
    /** Line separator for new lines: the file's own. */
    final String nl;
    /** Char offset of each code point index, or null when the text has no surrogate pairs (then they are equal). */
    private final int[] charAt;
    /** Offsets where lines start. */
    private final int[] lineStarts;

    private Doc(String text, Node root) {
        this.text = text;
        this.root = root;
        this.nl = text.contains("\r\n") ? "\r\n" : "\n";
        this.charAt = surrogates(text) ? codePointOffsets(text) : null;
        this.lineStarts = lineStarts(text);
    }

    /** @throws YAMLException when the text is not YAML this editor can work on */
    static Doc parse(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(0);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(Math.max(text.length() + 16, 3 * 1024 * 1024));
        options.setProcessComments(false);
        Node root = new Yaml(options).compose(new StringReader(text));
        return new Doc(text, root);
    }

    /** The text with {@code [from, to)} replaced, parsed again. */
    Doc replace(int from, int to, String with) {
        String next = text.substring(0, from) + with + text.substring(to);
        try {
            return parse(next);
        } catch (YAMLException e) {
            throw EditRefused.conflict("cannot-edit",
                    "this edit cannot be written into this text without breaking its YAML; change the text by hand");
        }
    }

    // ---- nodes

    MappingNode rootMap() {
        return root instanceof MappingNode m ? m : null;
    }

    static NodeTuple entry(MappingNode map, String key) {
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) return t;
        }
        return null;
    }

    static Node get(MappingNode map, String key) {
        NodeTuple t = map == null ? null : entry(map, key);
        return t == null ? null : t.getValueNode();
    }

    static String keyOf(NodeTuple t) {
        return t.getKeyNode() instanceof ScalarNode k ? k.getValue() : null;
    }

    static boolean isFlow(Node n) {
        return n instanceof CollectionNode<?> c && c.getFlowStyle() == org.yaml.snakeyaml.DumperOptions.FlowStyle.FLOW;
    }

    static boolean isBlockScalar(Node n) {
        return n instanceof ScalarNode s && (s.getScalarStyle() == ScalarStyle.LITERAL || s.getScalarStyle() == ScalarStyle.FOLDED);
    }

    /** A value written as nothing ({@code key:}). */
    boolean isEmpty(Node n) {
        return n instanceof ScalarNode s && s.getScalarStyle() == ScalarStyle.PLAIN && start(n) == end(n);
    }

    // ---- offsets

    int start(Node n) {
        return offset(n.getStartMark().getIndex());
    }

    int end(Node n) {
        return offset(n.getEndMark().getIndex());
    }

    /** Just after the last character that belongs to the node (not the blank lines or comments after a block). */
    int contentEnd(Node n) {
        if (n instanceof MappingNode m && !isFlow(m) && !m.getValue().isEmpty()) {
            List<NodeTuple> entries = m.getValue();
            return contentEnd(entries.get(entries.size() - 1).getValueNode());
        }
        if (n instanceof SequenceNode s && !isFlow(s) && !s.getValue().isEmpty()) {
            return contentEnd(s.getValue().get(s.getValue().size() - 1));
        }
        int end = end(n);
        if (isBlockScalar(n)) {
            int i = end;
            while (i > start(n) && Character.isWhitespace(text.charAt(i - 1))) i--;
            return i;
        }
        return end;
    }

    private int offset(int codePointIndex) {
        if (charAt == null) return Math.min(codePointIndex, text.length());
        return codePointIndex < charAt.length ? charAt[codePointIndex] : text.length();
    }

    // ---- lines

    int lineStart(int offset) {
        int i = offset;
        while (i > 0 && text.charAt(i - 1) != '\n' && text.charAt(i - 1) != '\r') i--;
        return i;
    }

    /** The offset of the line break ending the line holding {@code offset}, or the text's end. */
    int lineEnd(int offset) {
        int i = offset;
        while (i < text.length() && text.charAt(i) != '\n' && text.charAt(i) != '\r') i++;
        return i;
    }

    /** The start of the line after the one holding {@code offset} (the text's end on the last line). */
    int nextLineStart(int offset) {
        int i = lineEnd(offset);
        if (i < text.length() && text.charAt(i) == '\r') i++;
        if (i < text.length() && text.charAt(i) == '\n') i++;
        return i;
    }

    /** 1-based line number of an offset. */
    int line(int offset) {
        int i = java.util.Arrays.binarySearch(lineStarts, offset);
        return i >= 0 ? i + 1 : -i - 1;
    }

    private static int[] lineStarts(String text) {
        int[] starts = new int[16];
        int n = 0;
        starts[n++] = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n')) {
                if (n == starts.length) starts = java.util.Arrays.copyOf(starts, n * 2);
                starts[n++] = i + 1;
            }
        }
        return java.util.Arrays.copyOf(starts, n);
    }

    /** 0-based column (in chars) of an offset. */
    int column(int offset) {
        return offset - lineStart(offset);
    }

    boolean blankLine(int lineStart) {
        int end = lineEnd(lineStart);
        return text.substring(lineStart, end).isBlank();
    }

    /** Whether the text between the line start and {@code offset} is only spaces. */
    boolean firstOnLine(int offset) {
        return text.substring(lineStart(offset), offset).isBlank();
    }

    private static boolean surrogates(String s) {
        for (int i = 0; i < s.length(); i++) if (Character.isSurrogate(s.charAt(i))) return true;
        return false;
    }

    private static int[] codePointOffsets(String s) {
        int[] out = new int[s.codePointCount(0, s.length()) + 1];
        int cp = 0;
        for (int i = 0; i < s.length(); i = s.offsetByCodePoints(i, 1)) out[cp++] = i;
        out[cp] = s.length();
        return out;
    }
}
