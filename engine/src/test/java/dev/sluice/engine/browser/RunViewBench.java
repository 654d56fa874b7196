package dev.sluice.engine.browser;

import dev.sluice.engine.pipeline.Chains;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A browser benchmark of the run page at 2,000 tasks (kept out of the test run: the class name
 * does not end in Test; it prints figures and asserts no timing). Run it with
 * <pre>mvn -B -q -pl engine -am test -Dtest=RunViewBench -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * and read the {@code bench:} lines. The pipeline: 19 chains of 100 steps running {@code true} and a
 * matrix step of 100 tasks after them (2,000 tasks, 1,881 + 1,900 edges between tasks).
 * <ul>
 * <li>finished: from the route change to the graph and the timeline drawn, then to a click on a
 *     timeline row handled (its step panel shown): the page is interactive;</li>
 * <li>live: the page open on the run while it runs (events streamed in), the longest task the
 *     browser reports (PerformanceObserver {@code longtask}, tasks over 50 ms) until the run ends.</li>
 * </ul>
 */
class RunViewBench extends BrowserTestBase {

    static final int CHAINS = 19;
    static final int LENGTH = 100;
    static final int MATRIX = 100;

    static String pipeline() {
        StringBuilder y = new StringBuilder("name: big\nsteps:\n");
        Chains.append(y, CHAINS, LENGTH, i -> "\"true\"");
        y.append("  - id: sweep\n    needs: [");
        for (int c = 0; c < CHAINS; c++) y.append(c == 0 ? "" : ", ").append("c").append(c).append("-s").append(LENGTH - 1);
        y.append("]\n    matrix:\n      x: [");
        for (int i = 0; i < MATRIX; i++) y.append(i == 0 ? "" : ", ").append(i);
        y.append("]\n    run: \"true\"\n");
        return y.toString();
    }

    @Test
    void twoThousandTaskRun() {
        server.save("big", pipeline());
        browser.size(1600, 1000);
        browser.open("#/runs");
        browser.await("main");
        observeLongTasks();

        String live = null;
        List<Long> longest = new ArrayList<>();
        int runs = Integer.getInteger("bench.live", 3);
        for (int n = 0; n < runs; n++) {
            browser.open("#/runs");
            browser.await("main");
            observeLongTasks();
            live = liveRun();
            longest.add(((Number) longTasks().get("max")).longValue());
        }
        List<Long> sorted = longest.stream().sorted().toList();
        System.out.printf("bench: live 2000-task run, %d runs: longest task per run %s ms, median %d ms, worst %d ms%n",
                runs, longest, sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));

        for (int i = 0; i < 3; i++) {
            browser.open("#/runs");
            browser.await("main");
            observeLongTasks();
            Map<String, Object> f = openTimed(live);
            Map<String, Object> lt = longTasks();
            System.out.printf("bench: finished 2000-task run, pass %d: graph and timeline drawn %.0f ms, interactive (a click handled) %.0f ms; longest task %s ms%n",
                    i + 1, ((Number) f.get("drawn")).doubleValue(), ((Number) f.get("interactive")).doubleValue(), lt.get("max"));
        }
        browser.screenshot("bench-run-finished");
    }

    /**
     * 10,000 tasks: 99 chains of 100 steps (chains 0-4 run {@code true}, the others are skipped by a
     * false condition on their first step) and a matrix step of 100 tasks after chain 0.
     */
    static String tenThousand() {
        return tenThousand(5);
    }

    /** The same with only the first {@code running} chains run (the browser test runs 1: fewer processes). */
    static String tenThousand(int running) {
        StringBuilder y = new StringBuilder("name: huge\nsteps:\n");
        for (int c = 0; c < 99; c++) {
            for (int i = 0; i < 100; i++) {
                y.append("  - id: c").append(c).append("-s").append(i).append('\n');
                if (i > 0) y.append("    needs: [c").append(c).append("-s").append(i - 1).append("]\n");
                if (i == 0 && c >= running) y.append("    if: ${{ false }}\n");
                y.append("    run: \"true\"\n");
            }
        }
        y.append("  - id: sweep\n    needs: [c0-s99]\n    matrix:\n      x: [");
        for (int i = 0; i < 100; i++) y.append(i == 0 ? "" : ", ").append(i);
        y.append("]\n    run: \"true\"\n");
        return y.toString();
    }

    /** Opens a finished run of 10,000 tasks (3 times), then scrolls its timeline from top to bottom in 40 frames. */
    @Test
    void tenThousandTaskRun() {
        server.save("huge", tenThousand());
        browser.size(1600, 1000);
        String id = server.trigger("huge", null);
        Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                .until(() -> !"RUNNING".equals(server.run(id).get("status").asText()) && !"QUEUED".equals(server.run(id).get("status").asText()));
        for (int i = 0; i < 3; i++) {
            browser.open("#/runs");
            browser.await("main");
            observeLongTasks();
            org.openqa.selenium.chrome.ChromeDriver cdp = (org.openqa.selenium.chrome.ChromeDriver) browser.driver();
            boolean profile = Boolean.getBoolean("bench.profile") && i == 1;
            if (profile) {
                cdp.executeCdpCommand("Profiler.enable", Map.of());
                cdp.executeCdpCommand("Profiler.setSamplingInterval", Map.of("interval", 500));
                cdp.executeCdpCommand("Profiler.start", Map.of());
            }
            Map<String, Object> f = openTimed(id);
            if (profile) {
                try {
                    java.nio.file.Files.writeString(java.nio.file.Path.of(System.getProperty("basedir", "."), "target", "run-10000.cpuprofile"),
                            new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(cdp.executeCdpCommand("Profiler.stop", Map.of()).get("profile")));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            Map<String, Object> lt = longTasks();
            System.out.printf("bench: finished 10000-task run, pass %d: graph and timeline drawn %.0f ms, interactive (a click handled) %.0f ms; longest task %s ms, %s long tasks%n",
                    i + 1, ((Number) f.get("drawn")).doubleValue(), ((Number) f.get("interactive")).doubleValue(), lt.get("max"), lt.get("count"));
        }
        observeLongTasks();
        @SuppressWarnings("unchecked")
        Map<String, Object> s = (Map<String, Object>) ((org.openqa.selenium.JavascriptExecutor) browser.driver()).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const vp = document.querySelector('[data-test=gantt-viewport]');
                const frames = [];
                let i = 0, last = performance.now();
                const step = () => {
                  const now = performance.now(); frames.push(now - last); last = now;
                  if (i > 40) { frames.shift(); frames.sort((a, b) => a - b);
                    done({ median: frames[frames.length >> 1], worst: frames[frames.length - 1], rows: document.querySelectorAll('[data-test=gantt] .gantt-spacer > .gantt-row').length, height: vp.scrollHeight }); return; }
                  vp.scrollTop = (vp.scrollHeight - vp.clientHeight) * (i++ / 40);
                  requestAnimationFrame(step);
                };
                requestAnimationFrame(step);
                """);
        System.out.printf("bench: 10000-task run, timeline scrolled top to bottom in 40 frames: frame median %.0f ms, worst %.0f ms; longest task %s ms; rows in the DOM %s of a %s px list%n",
                ((Number) s.get("median")).doubleValue(), ((Number) s.get("worst")).doubleValue(), longTasks().get("max"), s.get("rows"), s.get("height"));
        browser.screenshot("bench-run-10000");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> openTimed(String id) {
        return (Map<String, Object>) ((org.openqa.selenium.JavascriptExecutor) browser.driver()).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const t0 = performance.now();
                location.hash = '#/runs/' + arguments[0];
                const poll = () => {
                  const node = document.querySelector('[data-test=run-page] [data-test=node], [data-test=run-page] .gv-far-node');
                  const row = document.querySelector('[data-test=gantt] .gantt-spacer > .gantt-row[data-id]');
                  if (!node || !row) { requestAnimationFrame(poll); return; }
                  const drawn = performance.now() - t0;
                  setTimeout(() => {
                    row.click();
                    const wait = () => {
                      if (!document.querySelector('[data-test=step-panel], .step-panel')) { requestAnimationFrame(wait); return; }
                      requestAnimationFrame(() => done({drawn, interactive: performance.now() - t0}));
                    };
                    wait();
                  }, 0);
                };
                requestAnimationFrame(poll);
                """, id);
    }

    private void observeLongTasks() {
        browser.script("""
                window.__longTasks = [];
                if (window.__longObserver) window.__longObserver.disconnect();
                window.__longObserver = new PerformanceObserver((list) => { for (const e of list.getEntries()) { window.__longTasks.push(e.duration); window.__longAt.push(Math.round(e.startTime - window.__t0) + ':' + Math.round(e.duration)); } });
                window.__longAt = []; window.__t0 = performance.now();
                window.__longObserver.observe({type: 'longtask'});
                """);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> longTasks() {
        return (Map<String, Object>) browser.script("""
                const l = window.__longTasks || [];
                return {max: Math.round(l.reduce((a, b) => Math.max(a, b), 0)), count: l.length, total: Math.round(l.reduce((a, b) => a + b, 0))};
                """);
    }


    /** Opens a new run of the big pipeline at once and follows it to its end; prints its long tasks. */
    private String liveRun() {
        String live = server.trigger("big", null);
        boolean profile = Boolean.getBoolean("bench.profile");
        if (profile) {
            ((org.openqa.selenium.chrome.ChromeDriver) browser.driver()).executeCdpCommand("Profiler.enable", Map.of());
            ((org.openqa.selenium.chrome.ChromeDriver) browser.driver()).executeCdpCommand("Profiler.setSamplingInterval", Map.of("interval", 500));
            ((org.openqa.selenium.chrome.ChromeDriver) browser.driver()).executeCdpCommand("Profiler.start", Map.of());
        }
        long t0 = System.nanoTime();
        browser.open("#/runs/" + live);
        browser.wait(d -> !browser.all("[data-test=run-page] [data-test=node], [data-test=run-page] .gv-far-node").isEmpty());
        Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                .until(() -> !"RUNNING".equals(server.run(live).get("status").asText()) && !"QUEUED".equals(server.run(live).get("status").asText()));
        long runSeconds = (System.nanoTime() - t0) / 1_000_000_000L;
        System.out.println("bench: live long tasks (start ms : duration ms): " + browser.<Object>script("return window.__longAt.join(' ')"));
        browser.awaitAttribute("[data-test=run-status]", "data-status", "SUCCEEDED");
        if (profile) {
            Map<String, Object> p = ((org.openqa.selenium.chrome.ChromeDriver) browser.driver()).executeCdpCommand("Profiler.stop", Map.of());
            try {
                java.nio.file.Files.writeString(java.nio.file.Path.of(System.getProperty("basedir", "."), "target", "run-live.cpuprofile"),
                        new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(p.get("profile")));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        Map<String, Object> longTasks = longTasks();
        browser.screenshot("bench-run-live-end");
        System.out.printf("bench: live 2000-task run (%d s): longest task %s ms, %s long tasks (> 50 ms), %s ms in them; DOM timeline rows %s%n",
                runSeconds, longTasks.get("max"), longTasks.get("count"), longTasks.get("total"),
                browser.script("return document.querySelectorAll('[data-test=gantt] .gantt-spacer > .gantt-row').length"));

        return live;
    }

}
