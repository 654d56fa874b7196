package dev.sluice.worker.exec;

import org.apache.commons.exec.ExecuteStreamHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a process's stdout and stderr line by line into an {@link AttemptLog}, one pooled thread
 * per stream; stdin is closed at once (the step reads end-of-file).
 *
 * <p>Commons Exec calls {@link #stop()} right after the shell has exited and before it closes the
 * pipes. That is when {@code afterExit} runs (it ends the step's leftover processes, which may hold
 * the pipes open); then the pumps are given {@code drainLimit} to reach end-of-file. A pipe still
 * open after that is held by a process that left the step's session: the pump is abandoned (it
 * ends when that process closes the pipe) and its later lines are dropped.
 */
final class LogPump implements ExecuteStreamHandler {

    /** Longest line kept whole; a longer one is split into pieces of this size. */
    static final int MAX_LINE = 64 * 1024;
    private static final int BUFFER = 8 * 1024;

    private final AttemptLog log;
    private final Executor pool;
    private final Runnable afterExit;
    private final Duration drainLimit;
    private InputStream stdout;
    private InputStream stderr;
    private CompletableFuture<Void> pumps = CompletableFuture.completedFuture(null);

    LogPump(AttemptLog log, Executor pool, Runnable afterExit, Duration drainLimit) {
        this.log = log;
        this.pool = pool;
        this.afterExit = afterExit;
        this.drainLimit = drainLimit;
    }

    @Override
    public void setProcessInputStream(OutputStream stdin) throws IOException {
        stdin.close();
    }

    @Override
    public void setProcessOutputStream(InputStream in) {
        this.stdout = in;
    }

    @Override
    public void setProcessErrorStream(InputStream in) {
        this.stderr = in;
    }

    @Override
    public void start() {
        pumps = CompletableFuture.allOf(
                CompletableFuture.runAsync(() -> pump(stdout, 'O'), pool),
                CompletableFuture.runAsync(() -> pump(stderr, 'E'), pool));
    }

    @Override
    public void stop() {
        try {
            afterExit.run();
        } catch (RuntimeException e) {
            log.notice("could not end the step's leftover processes: " + e);
        }
        try {
            pumps.get(drainLimit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.notice("stopped reading the step's output: a process that left the step's session still holds it open");
        } catch (ExecutionException e) {
            log.notice("reading the step's output failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.close();
    }

    private void pump(InputStream in, char stream) {
        byte[] buffer = new byte[BUFFER];
        byte[] line = new byte[BUFFER];
        int length = 0;
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != '\n') {
                        continue;
                    }
                    if (length == 0) {
                        emit(stream, buffer, start, i - start);
                    } else {
                        line = append(line, length, buffer, start, i - start);
                        emit(stream, line, 0, length + i - start);
                        length = 0;
                    }
                    start = i + 1;
                }
                if (start < n) {
                    line = append(line, length, buffer, start, n - start);
                    length += n - start;
                    while (length >= MAX_LINE) {
                        log.line(stream, line, 0, MAX_LINE);
                        System.arraycopy(line, MAX_LINE, line, 0, length - MAX_LINE);
                        length -= MAX_LINE;
                    }
                }
            }
            if (length > 0) {
                emit(stream, line, 0, length);
            }
        } catch (IOException e) {
            // the stream was closed under us: the attempt is over
        }
    }

    /** Emits one line, without a trailing carriage return. */
    private void emit(char stream, byte[] bytes, int offset, int length) {
        int end = length > 0 && bytes[offset + length - 1] == '\r' ? length - 1 : length;
        log.line(stream, bytes, offset, end);
    }

    private static byte[] append(byte[] line, int length, byte[] src, int offset, int count) {
        byte[] target = line;
        if (length + count > target.length) {
            target = new byte[Math.max(length + count, target.length * 2)];
            System.arraycopy(line, 0, target, 0, length);
        }
        System.arraycopy(src, offset, target, length, count);
        return target;
    }
}
