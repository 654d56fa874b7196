package dev.sluice.engine.browser;

import dev.sluice.engine.pipeline.Chains;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;

/**
 * A browser benchmark of edits in the editor at 2,000 steps (kept out of the test run: the class
 * name does not end in Test; it prints figures and asserts no timing). Run it with
 * <pre>mvn -B -q -pl engine -am test -Dtest=EditorEditBench -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * and read the {@code bench:} lines. A step's command is changed in its form, 8 times: each round
 * trip is timed from the form's change to the frame after the YAML view shows the new text (the
 * request, the server's edit, and the canvas and panels brought up to date), with the bytes the
 * page sent and received for it and the longest task the browser saw meanwhile.
 */
class EditorEditBench extends BrowserTestBase {

    static String pipeline() {
        StringBuilder y = new StringBuilder("name: big\nparams:\n  rows: 1000\nsteps:\n");
        Chains.append(y, 20, 100, i -> "echo " + i);
        return y.toString();
    }

    /** Changes the open step's command and resolves, once the YAML view shows it, with the round trip's figures. */
    private static final String EDIT = """
            const [value, done] = [arguments[0], arguments[arguments.length - 1]];
            const w = window;
            if (!w.__editBytes) {
              w.__editBytes = { sent: 0, received: 0 };
              const orig = w.fetch.bind(w);
              w.fetch = async (url, init) => {
                const r = await orig(url, init);
                if (String(url).includes('/api/designer/edit')) {
                  w.__editBytes.sent += init && init.body ? String(init.body).length : 0;
                  const text = await r.clone().text();
                  w.__editBytes.received += text.length;
                }
                return r;
              };
              w.__long = [];
              new PerformanceObserver((l) => { for (const e of l.getEntries()) w.__long.push(e); }).observe({ type: 'longtask' });
            }
            w.__editBytes.sent = 0; w.__editBytes.received = 0; w.__long = [];
            const cm = document.querySelector('.CodeMirror').CodeMirror;
            const input = document.querySelector('[data-test=step-panel] [data-test=field-run]');
            const t0 = performance.now();
            input.value = value;
            input.dispatchEvent(new Event('input', { bubbles: true }));
            input.dispatchEvent(new Event('change', { bubbles: true }));
            const poll = () => {
              if (!cm.getValue().includes('run: ' + value + '\\n')) { requestAnimationFrame(poll); return; }
              requestAnimationFrame(() => setTimeout(() => {
                const longest = w.__long.filter((e) => e.startTime >= t0).reduce((a, e) => Math.max(a, e.duration), 0);
                done({ ms: performance.now() - t0, sent: w.__editBytes.sent, received: w.__editBytes.received, longest: Math.round(longest) });
              }, 0));
            };
            poll();
            """;

    @Test
    void editsOfATwoThousandStepPipelineInTheBrowser() {
        server.save("big", pipeline());
        browser.size(1600, 1000);
        browser.open("#/pipelines/big/edit");
        browser.wait(d -> !browser.all("[data-test=graph].gv-far, [data-test=graph] [data-test=node]").isEmpty());
        browser.wait(d -> browser.script("const el = document.querySelector('.CodeMirror'); return !!el && el.CodeMirror.getValue().includes('c19-s99');"));
        browser.find("[data-test=graph]").sendKeys("/");
        browser.await("[data-test=step-search]").sendKeys("c7-s50", Keys.ENTER);
        browser.awaitText("[data-test=step-panel-id]", "c7-s50");
        boolean profile = Boolean.getBoolean("bench.profile");
        org.openqa.selenium.chrome.ChromeDriver cdp = (org.openqa.selenium.chrome.ChromeDriver) browser.driver();
        if (profile) {
            cdp.executeCdpCommand("Profiler.enable", java.util.Map.of());
            cdp.executeCdpCommand("Profiler.setSamplingInterval", java.util.Map.of("interval", 500));
            cdp.executeCdpCommand("Profiler.start", java.util.Map.of());
        }
        List<Double> times = new ArrayList<>();
        for (int round = 1; round <= 8; round++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) ((JavascriptExecutor) browser.driver()).executeAsyncScript(EDIT, "echo round " + round);
            double ms = ((Number) r.get("ms")).doubleValue();
            times.add(ms);
            System.out.printf("bench: browser edit at 2000 steps, round %d: %.0f ms round trip (form change to the YAML shown), %,d bytes sent, %,d received, longest task %s ms%n",
                    round, ms, ((Number) r.get("sent")).longValue(), ((Number) r.get("received")).longValue(), r.get("longest"));
        }
        if (profile) {
            try {
                java.nio.file.Files.writeString(java.nio.file.Path.of(System.getProperty("basedir", "."), "target", "editor-edit.cpuprofile"),
                        new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(cdp.executeCdpCommand("Profiler.stop", java.util.Map.of()).get("profile")));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        List<Double> sorted = times.subList(1, times.size()).stream().sorted().toList();
        System.out.printf("bench: browser edit at 2000 steps: median %.0f ms (rounds 2-8; the first warms up)%n", sorted.get(sorted.size() / 2));
        browser.screenshot("bench-editor-edit-2000");
    }
}
