package dev.sluice.engine.pipeline;

import dev.sluice.engine.pipeline.Drafts.PipelineDraft;
import dev.sluice.engine.pipeline.Drafts.StepDraft;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads pipeline files: YAML tokens into a located tree (duplicates, anchors, aliases, tags and
 * deep nesting refused), then binding and validation that report every problem at once, each
 * with file, line and column. Stateless and thread-safe.
 */
public final class PipelineLoader {

    /** Largest pipeline file: 1 MiB. */
    public static final int MAX_BYTES = YamlReader.MAX_BYTES;
    /** Most tasks a pipeline may expand to (steps times matrix combinations). */
    public static final int MAX_TASKS = 20_000;

    private PipelineLoader() {
    }

    /**
     * Reads and validates a pipeline file. Its size is checked before it is read: a file over
     * {@link #MAX_BYTES} gives one problem and is not read.
     *
     * @param file the pipeline file; problems name it as given, and step workdirs are relative
     *             to its folder
     */
    public static ParseResult load(Path file) {
        String name = file.toString();
        Location top = new Location(name, 1, 1);
        Path baseDir = file.toAbsolutePath().normalize().getParent();
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) return failure(top, "unreadable", "cannot read file: it is a folder");
            long size = Files.size(file);
            if (size > MAX_BYTES) return failure(top, "too-large", "file is " + size + " bytes; the limit is 1 MiB");
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return failure(top, "unreadable", "cannot read file: it does not exist");
        } catch (AccessDeniedException e) {
            return failure(top, "unreadable", "cannot read file: permission denied");
        } catch (IOException | SecurityException e) {
            return failure(top, "unreadable", "cannot read file: " + oneLine(e.getMessage()));
        }
        if (bytes.length > MAX_BYTES) {
            return failure(top, "too-large", "file is " + bytes.length + " bytes; the limit is 1 MiB");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return failure(top, "encoding", "file is not valid UTF-8 text");
        }
        return parse(name, text, baseDir);
    }

    /**
     * Reads and validates a pipeline text.
     *
     * @param fileName how problems name the file
     * @param baseDir  the folder step workdirs are relative to (null: the current folder)
     */
    public static ParseResult parse(String fileName, String text, Path baseDir) {
        Problems problems = new Problems(fileName);
        long bytes = utf8Length(text);
        if (bytes > MAX_BYTES) {
            return failure(problems.at(1, 1), "too-large", "text is " + bytes + " bytes; the limit is 1 MiB");
        }
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        YamlNode root = YamlReader.read(text, problems);
        if (root == null) return new ParseResult(null, problems.list());
        SourceText source = new SourceText(text);
        PipelineDraft draft = new PipelineBinder(problems, source).bind(root);
        if (draft == null) return new ParseResult(null, problems.list());

        StepGraph graph = new StepGraph(draft.steps(), problems);
        RegisterValidation.check(draft.steps(), problems);
        long tasks = 0;
        for (StepDraft s : draft.steps()) tasks += s.taskCount();
        if (tasks > MAX_TASKS) {
            problems.add(problems.at(1, 1), "steps", "too-many-tasks",
                    "the pipeline expands to " + tasks + " tasks; the limit is " + MAX_TASKS);
        }
        if (hasExpressions(draft)) ExpressionValidation.check(draft, graph, problems, source);
        if (!problems.isEmpty()) return new ParseResult(null, problems.list());
        return new ParseResult(build(draft, baseDir), List.of());
    }

    private static boolean hasExpressions(PipelineDraft draft) {
        if (!draft.expressions().isEmpty() || !draft.alertExpressions().isEmpty()) return true;
        for (StepDraft s : draft.steps()) if (!s.expressions().isEmpty()) return true;
        return false;
    }

    private static Pipeline build(PipelineDraft d, Path baseDir) {
        List<Step> steps = new ArrayList<>(d.steps().size());
        for (StepDraft s : d.steps()) steps.add(s.toStep());
        return new Pipeline(d.name(), d.description(), d.params(), d.schedule(), d.concurrency(), d.env(), steps,
                baseDir == null ? null : baseDir.toAbsolutePath().normalize(), d.triggers(), d.alerts());
    }

    private static ParseResult failure(Location where, String code, String message) {
        return new ParseResult(null, List.of(new Problem(where, "", code, message, null)));
    }

    /** The UTF-8 size of a text, computed only when it could pass the limit (at most 3 bytes a char). */
    private static long utf8Length(String s) {
        if (s.length() * 3L <= MAX_BYTES) return s.length();
        if (s.length() > MAX_BYTES) return s.length() + 0L + nonAscii(s);
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static long nonAscii(String s) {
        long extra = 0;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 0x80) extra++;
        return extra;
    }

    private static String oneLine(String s) {
        return s == null ? "unknown error" : s.replace('\n', ' ').strip();
    }
}
