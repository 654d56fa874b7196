package dev.sluice.engine.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Big graphs in the editor and the shared renderer: 200 and 1,000 steps load and render. The
 * times are printed (read with performance.now() in the page), never asserted.
 */
class EditorLargeGraphTest extends BrowserTestBase {

    /** Renders a saved pipeline's graph into a fresh view and times it, fitted and at zoom 1. */
    private static final String RENDER = """
            const [name, done] = [arguments[0], arguments[arguments.length - 1]];
            (async () => {
              const { createGraphView } = await import('/js/graph/index.js');
              if (!document.querySelector('link[href="/css/graph.css"]')) {
                const css = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: '/css/graph.css' });
                document.head.append(css);
                await new Promise((r) => { css.onload = r; css.onerror = r; });
              }
              const graph = await (await fetch('/api/pipelines/' + name + '/graph')).json();
              const host = document.createElement('div');
              Object.assign(host.style, { position: 'fixed', left: '0', top: '0', width: '1280px', height: '800px', zIndex: 99 });
              document.body.append(host);
              const t0 = performance.now();
              const view = createGraphView(host, {});
              view.setGraph(graph, graph.layout);
              host.getBoundingClientRect();
              const fitted = performance.now() - t0;
              const fittedCount = view.drawnCount();
              const boxes = Object.values(view.boxes());
              const cx = boxes.reduce((a, b) => a + b.x + b.width / 2, 0) / boxes.length;
              const cy = boxes.reduce((a, b) => a + b.y + b.height / 2, 0) / boxes.length;
              const t1 = performance.now();
              view.setViewport({ k: 1, tx: 640 - cx, ty: 400 - cy });
              host.getBoundingClientRect();
              const zoomed = performance.now() - t1;
              const zoomedCount = view.drawnCount();
              const t2 = performance.now();
              for (let i = 1; i <= 20; i++) view.setViewport({ k: 1, tx: 640 - cx - i * 60, ty: 400 - cy - i * 30 });
              const pan = (performance.now() - t2) / 20;
              await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
              view.destroy(); host.remove();
              done({ fitted, zoomed, pan, nodes: graph.nodes.length, fittedCount, zoomedCount });
            })().catch((e) => done({ error: String(e) }));
            """;

    @BeforeAll
    void saveTheBigPipelines() {
        server.save("big200", pipeline("big200", 200));
        server.save("big1000", pipeline("big1000", 1000));
    }

    @Test
    void aPipelineOf200StepsLoadsAndRendersInTheEditor() {
        Map<String, Object> r = cast(((org.openqa.selenium.JavascriptExecutor) browser.size(1280, 800).open("/").driver())
                .executeAsyncScript(RENDER, "big200"));
        print(r);
        assertThat(r).doesNotContainKey("error").containsEntry("nodes", 200L);

        browser.open("#/pipelines/big200/edit");
        browser.await("[data-test=node], .gv-far-node");
        Number shown = browser.script("return performance.now();");
        System.out.printf("[editor] 200 steps: editor shows the graph %.0f ms after navigation (server edit + layout included)%n", shown.doubleValue());
        browser.screenshot("editor-200-steps");
    }

    @Test
    void aPipelineOf1000StepsStaysUsable() {
        Map<String, Object> r = cast(((org.openqa.selenium.JavascriptExecutor) browser.open("/").driver()).executeAsyncScript(RENDER, "big1000"));
        print(r);
        assertThat(r).doesNotContainKey("error").containsEntry("nodes", 1000L);
        assertThat(((Map<?, ?>) r.get("zoomedCount")).get("nodes")).as("only what is visible is drawn").isNotNull();

        browser.size(1920, 1080).open("#/pipelines/big1000/edit");
        browser.await("[data-test=node], .gv-far-node");
        Number shown = browser.script("return performance.now();");
        System.out.printf("[editor] 1000 steps: editor shows the graph %.0f ms after navigation%n", shown.doubleValue());
        browser.click("[data-test=zoom-in]");
        browser.click("[data-test=zoom-in]");
        browser.click("[data-test=zoom-in]");
        browser.screenshot("editor-1000-steps-1920");
        browser.size(1280, 800);
    }

    private static void print(Map<String, Object> r) {
        System.out.printf("[graph] %s nodes: fitted render %.1f ms (%s), zoom 1 render %.1f ms (%s), pan step %.2f ms%n",
                r.get("nodes"), num(r.get("fitted")), r.get("fittedCount"), num(r.get("zoomed")), r.get("zoomedCount"), num(r.get("pan")));
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }

    /** A DAG of n steps: each needs one or two of the dozen steps before it. */
    static String pipeline(String name, int n) {
        StringBuilder y = new StringBuilder("name: " + name + "\nsteps:\n");
        for (int i = 0; i < n; i++) {
            y.append("  - id: s").append(String.format("%04d", i)).append('\n');
            if (i > 0) {
                int a = Math.max(0, i - 1 - (i * 7919) % 12);
                y.append("    needs: [s").append(String.format("%04d", a));
                if (i > 5 && i % 3 == 0 && i - 5 != a) y.append(", s").append(String.format("%04d", i - 5));
                y.append("]\n");
            }
            y.append("    run: echo step ").append(i).append('\n');
            if (i % 10 == 3) y.append("    retries: 2\n");
        }
        return y.toString();
    }
}
