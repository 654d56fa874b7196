package dev.sluice.engine.pipeline;

import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * Jackson's YAML parser, watching every SnakeYAML event before Jackson turns it into tokens.
 * Jackson 2.20 shows an anchor only on mappings and lists ({@code getCurrentAnchor}), an alias as
 * a string token ({@code isCurrentAlias}), and tags through {@code getTypeId} with a delay on the
 * first key of a mapping; the {@link #getEvent()} hook sees all three exactly, scalar anchors
 * included, with their marks.
 */
final class CheckingYamlParser extends YAMLParser {

    private static final String YAML_TAG = "tag:yaml.org,2002:";
    private static final Set<String> STANDARD_TAGS = Set.of("str", "int", "float", "bool", "null", "map", "seq");

    /** Something refused in the token stream, at a 1-based line and column. */
    record Issue(String code, String message, int line, int column) {
    }

    private final List<Issue> issues = new ArrayList<>();
    private ScalarEvent lastScalar;
    private boolean anchorReported;

    CheckingYamlParser(IOContext ctxt, int parserFeatures, int formatFeatures, LoaderOptions options,
            ObjectCodec codec, Reader reader) {
        super(ctxt, parserFeatures, formatFeatures, options, codec, reader);
    }

    @Override
    protected Event getEvent() throws IOException {
        Event e = super.getEvent();
        if (e instanceof AliasEvent alias) {
            anchorOrAlias("alias", "YAML aliases are not allowed ('*" + alias.getAnchor() + "')", e.getStartMark());
        } else if (e instanceof NodeEvent node && node.getAnchor() != null) {
            anchorOrAlias("anchor", "YAML anchors are not allowed ('&" + node.getAnchor() + "')", e.getStartMark());
        }
        String tag = null;
        if (e instanceof ScalarEvent scalar) {
            lastScalar = scalar;
            tag = scalar.getTag();
        } else if (e instanceof CollectionStartEvent collection) {
            tag = collection.getTag();
        }
        if (tag != null && !allowed(tag)) {
            add("tag", "YAML tags are not allowed ('" + display(tag) + "')", e.getStartMark());
        }
        return e;
    }

    /**
     * Only the first anchor or alias of a file is reported: one is enough to say the file must
     * spell its values out, and an alias bomb then gives one line, not hundreds.
     */
    private void anchorOrAlias(String code, String message, Mark mark) {
        if (anchorReported) return;
        anchorReported = true;
        add(code, message + "; write values out in full (only the first anchor or alias is reported)", mark);
    }

    List<Issue> issues() {
        return issues;
    }

    /** The scalar event behind the current scalar token. */
    ScalarEvent lastScalar() {
        return lastScalar;
    }

    private void add(String code, String message, Mark mark) {
        issues.add(new Issue(code, message, mark.getLine() + 1, mark.getColumn() + 1));
    }

    private static boolean allowed(String tag) {
        if (tag.equals("!")) return true;
        return tag.startsWith(YAML_TAG) && STANDARD_TAGS.contains(tag.substring(YAML_TAG.length()));
    }

    private static String display(String tag) {
        return tag.startsWith(YAML_TAG) ? "!!" + tag.substring(YAML_TAG.length()) : tag;
    }
}
