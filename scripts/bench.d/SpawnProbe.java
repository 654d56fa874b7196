import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What it costs a JVM to start one step's process and see it end, nothing else: no store, no
 * scheduler, no attempt folder. Run by {@code scripts/bench floor} with the launcher's JVM options
 * ({@code java SpawnProbe.java N REPS}); prints one line per way of starting, the median over REPS
 * rounds of N processes, in milliseconds of wall time per process.
 *
 * <p>Ways: {@code /bin/sh -c true} (what Sluice runs per step, and ninja too) and
 * {@code setsid /bin/sh -c true} (what Sluice ran until it dropped the per-step session: the old
 * floor), one at a time (a chain) and two at a time on two threads (a fan-out on 2 slots). Both
 * pipes are read to their end, as Commons Exec does.
 */
public final class SpawnProbe {

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int reps = Integer.parseInt(args[1]);
        List<String> setsid = List.of("/usr/bin/setsid", "/bin/sh", "-c", "true");
        List<String> sh = List.of("/bin/sh", "-c", "true");
        round(setsid, n, 1); // warm-up
        for (int threads : new int[] {1, 2}) {
            for (List<String> command : List.of(setsid, sh)) {
                double[] perProcess = new double[reps];
                for (int r = 0; r < reps; r++) perProcess[r] = round(command, n, threads);
                Arrays.sort(perProcess);
                System.out.printf("%s\t%d\t%.4f%n", command.get(0).endsWith("setsid") ? "setsid" : "sh", threads,
                        perProcess[reps / 2]);
            }
        }
    }

    /** Milliseconds per process of N processes run {@code threads} at a time. */
    private static double round(List<String> command, int n, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        List<Future<?>> lanes = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int share = n / threads + (t < n % threads ? 1 : 0);
            lanes.add(pool.submit(() -> {
                for (int i = 0; i < share; i++) run(command);
                return null;
            }));
        }
        for (Future<?> lane : lanes) lane.get();
        double ms = (System.nanoTime() - start) / 1e6 / n;
        pool.shutdown();
        return ms;
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).start();
            drain(p.getInputStream());
            drain(p.getErrorStream());
            p.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void drain(InputStream in) throws IOException {
        try (in) {
            in.transferTo(OutputStream.nullOutputStream());
        }
    }
}
