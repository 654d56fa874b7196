package dev.sluice.engine.scheduler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds and kills the step processes an interrupted run left behind on this machine. A step's
 * processes outlive a killed {@code sluice run} (a KILL ends the JVM, not its children); each carries
 * {@code SLUICE_RUN_ID} in its environment, which Linux shows in {@code /proc/<pid>/environ}.
 */
final class Orphans {

    private Orphans() {}

    /** @return the pids killed (empty where {@code /proc} is not available) */
    static List<Long> kill(String runId) {
        byte[] marker = ("SLUICE_RUN_ID=" + runId + "\0").getBytes(StandardCharsets.UTF_8);
        long self = ProcessHandle.current().pid();
        List<Long> killed = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(ph -> {
            if (ph.pid() == self) return;
            Path environ = Path.of("/proc", Long.toString(ph.pid()), "environ");
            try {
                if (contains(Files.readAllBytes(environ), marker) && ph.destroyForcibly()) killed.add(ph.pid());
            } catch (IOException | SecurityException e) {
                // gone, or not ours to read: not one of our steps
            }
        });
        return killed;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            if (i > 0 && haystack[i - 1] != 0) continue; // variables start after a NUL
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return true;
        }
        return false;
    }
}
