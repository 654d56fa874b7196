package dev.sluice.worker.exec;

import dev.sluice.worker.protocol.AttemptKey;
import dev.sluice.worker.protocol.LogLine;
import dev.sluice.worker.protocol.LogSink;
import dev.sluice.worker.protocol.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The log of one attempt: masks secrets, enforces the byte cap and hands lines to the sink.
 *
 * <p>Called concurrently by the stdout and stderr pumps and by whoever writes a notice; the lines
 * of one stream reach the sink in the order they were printed. Step output ({@code 'O'},
 * {@code 'E'}) counts against the cap; once a line would pass it, one {@code 'S'} notice says so
 * and every later step line is dropped (the pumps keep reading so the process never blocks).
 * Sluice's own notices are never dropped. Every line, notices included, is masked; a line longer
 * than {@link LogPump#MAX_LINE} is split first, so a secret that straddles a split is not masked.
 */
final class AttemptLog {

    private static final Logger LOG = LoggerFactory.getLogger(AttemptLog.class);
    static final int MIN_SECRET_LENGTH = Secrets.MIN_LENGTH;
    /** bytes the engine adds to each stored line (an ISO instant, the stream name, spaces) */
    static final int STORED_OVERHEAD = 36;
    static final String MASK = "***";

    private final AttemptKey key;
    private final LogSink sink;
    private final List<String> secrets;
    private final long maxBytes;
    private final AtomicLong used = new AtomicLong();
    private final AtomicBoolean truncated = new AtomicBoolean();
    private volatile boolean closed;

    AttemptLog(AttemptKey key, LogSink sink, Map<String, String> env, long maxBytes) {
        this.key = key;
        this.sink = sink;
        this.secrets = secretValues(env);
        this.maxBytes = maxBytes;
    }

    /**
     * The values to mask, by the spec's rule ({@link Secrets}); longest first, so that a secret which
     * contains another is masked whole.
     */
    static List<String> secretValues(Map<String, String> env) {
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            String value = e.getValue();
            if (!Secrets.masked(e.getKey(), value) || values.contains(value)) {
                continue;
            }
            // logs are masked line by line: a multi-line secret (a PEM key, pretty JSON) is masked
            // by each of its lines too
            String whole = value.strip();
            if (whole.length() >= MIN_SECRET_LENGTH && !values.contains(whole)) values.add(whole);
            // a step that prints a secret encoded (an Authorization header, a URL) leaks it as well
            for (String encoded : encodings(whole)) {
                if (encoded.length() >= MIN_SECRET_LENGTH && !values.contains(encoded)) values.add(encoded);
            }
            for (String part : value.split("\\R")) {
                String p = part.strip();
                if (p.length() >= MIN_SECRET_LENGTH && !values.contains(p)) values.add(p);
            }
        }
        values.sort(Comparator.comparingInt(String::length).reversed());
        return List.copyOf(values);
    }

    /**
     * The forms a secret is most often printed in besides its own: base64 (standard and URL-safe,
     * with and without padding) and URL-encoding (form style and {@code %20} style). Only whole
     * values: a secret encoded together with other text (base64 of {@code user:secret}) is not caught.
     */
    static List<String> encodings(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        List<String> forms = new ArrayList<>();
        String std = java.util.Base64.getEncoder().encodeToString(bytes);
        forms.add(std);
        forms.add(std.replace("=", ""));
        forms.add(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        String form = java.net.URLEncoder.encode(secret, StandardCharsets.UTF_8);
        forms.add(form);
        forms.add(form.replace("+", "%20"));
        forms.removeIf(secret::equals);
        return forms.stream().distinct().toList();
    }

    /** One line the step printed, without its line terminator. */
    void line(char stream, byte[] bytes, int offset, int length) {
        if (closed || truncated.get()) {
            return;
        }
        // what is stored per line: the text, its newline, and about 36 bytes of time and stream name
        if (used.addAndGet(length + 1L + STORED_OVERHEAD) > maxBytes) {
            if (truncated.compareAndSet(false, true)) {
                notice("log truncated after " + maxBytes + " bytes");
            }
            return;
        }
        emit(stream, new String(bytes, offset, length, StandardCharsets.UTF_8));
    }

    /** One of Sluice's own notices ({@code 'S'}). */
    void notice(String text) {
        emit('S', text);
    }

    /** Drops whatever the pumps still deliver: the attempt's result is being built. */
    void close() {
        closed = true;
    }

    String mask(String text) {
        String masked = text;
        for (String secret : secrets) {
            if (masked.contains(secret)) {
                masked = masked.replace(secret, MASK);
            }
        }
        return masked;
    }

    private void emit(char stream, String text) {
        try {
            sink.accept(key, new LogLine(Instant.now(), stream, mask(text)));
        } catch (RuntimeException e) {
            LOG.warn("[attempt {}] log sink failed: {}", key, e.toString());
        }
    }
}
