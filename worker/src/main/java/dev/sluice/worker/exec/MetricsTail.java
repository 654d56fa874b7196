package dev.sluice.worker.exec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Watches an attempt's metrics file while it runs, noting when each line was complete: the time of each
 * value of a series (a loss per epoch) is when the worker first saw its line, not the attempt's end.
 * Reads only what was appended since the last look, up to {@link MetricsFile#MAX_BYTES} in all.
 */
final class MetricsTail {

    private final Path file;
    private long offset;
    private final List<Instant> lineTimes = new ArrayList<>();

    MetricsTail(Path file) {
        this.file = file;
    }

    /** One look: every newline appended since the last one is stamped now. Errors are ignored (the end reads it anyway). */
    synchronized void poll() {
        if (offset >= MetricsFile.MAX_BYTES || !file.toFile().isFile()) return;
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(offset);
            byte[] bytes = in.readNBytes((int) Math.min(MetricsFile.MAX_BYTES - offset, 64 * 1024));
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] != '\n') end--; // only complete lines
            Instant now = Instant.now();
            for (int i = 0; i < end; i++) if (bytes[i] == '\n') lineTimes.add(now);
            offset += end;
        } catch (IOException | RuntimeException e) {
            // the file is being replaced or is gone: the read at the end of the attempt decides
        }
    }

    /** When line {@code index} (from 0) was first seen complete, else {@code otherwise}. */
    synchronized Instant timeOf(int index, Instant otherwise) {
        return index < lineTimes.size() ? lineTimes.get(index) : otherwise;
    }
}
