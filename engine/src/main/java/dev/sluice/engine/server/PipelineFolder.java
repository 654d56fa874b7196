package dev.sluice.engine.server;

import dev.sluice.engine.pipeline.ParseResult;
import dev.sluice.engine.pipeline.PipelineLoader;
import dev.sluice.engine.pipeline.Problem;
import dev.sluice.engine.store.PipelineVersion;
import dev.sluice.engine.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code *.yaml} files of a folder, saved as pipeline versions when the server starts. An
 * invalid file is logged with its problems and skipped: the server starts anyway.
 */
public final class PipelineFolder {

    private static final Logger log = LoggerFactory.getLogger(PipelineFolder.class);

    private PipelineFolder() {}

    /** @return the versions saved (or found unchanged), in file name order */
    public static List<PipelineVersion> load(Store store, Path dir) {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(f -> f.getFileName().toString().endsWith(".yaml") && Files.isRegularFile(f)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the pipelines folder " + dir + ": " + e.getMessage(), e);
        }
        List<PipelineVersion> saved = new ArrayList<>();
        for (Path file : files) {
            ParseResult parsed = PipelineLoader.load(file);
            if (!parsed.ok()) {
                log.warn("{}: invalid, not loaded ({} problem(s))", file, parsed.problems().size());
                for (Problem p : parsed.problems()) log.warn("{}", p.format());
                continue;
            }
            try {
                PipelineVersion v = store.savePipeline(parsed.pipeline().name(), Files.readString(file, StandardCharsets.UTF_8));
                log.info("{}: pipeline {} v{}", file, v.name(), v.version());
                saved.add(v);
            } catch (IOException e) {
                log.warn("{}: cannot read: {}", file, e.getMessage());
            }
        }
        return saved;
    }
}
