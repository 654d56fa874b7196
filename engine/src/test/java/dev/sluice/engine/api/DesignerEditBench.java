package dev.sluice.engine.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.engine.pipeline.Chains;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round trips of {@code POST /api/designer/edit} on a 2,000-step pipeline, the whole text and one
 * edit (as the designer sent them before), then changes only (the base's sha256 and the edit, as it
 * sends them now), printed, never asserted (out of the test run: the name does
 * not end in Test). Run with
 * <pre>mvn -B -q -pl engine -am test -Dtest=DesignerEditBench -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
class DesignerEditBench {

    @Test
    void editsOfATwoThousandStepPipeline(@TempDir Path root) {
        ObjectMapper json = new ObjectMapper();
        StringBuilder y = new StringBuilder("name: big\nparams:\n  rows: 1000\nsteps:\n");
        Chains.append(y, 20, 100, i -> "echo " + i);
        String text = y.toString();
        try (ApiServer api = new ApiServer(root)) {
            for (int round = 0; round < 6; round++) {
                ObjectNode body = json.createObjectNode();
                body.put("text", text);
                body.put("file", "big.yaml");
                ArrayNode edits = body.putArray("edits");
                ObjectNode e = edits.addObject();
                e.put("op", "setStepField").put("id", "c7-s50").put("field", "run").put("value", "echo round " + round);
                long t0 = System.nanoTime();
                HttpResponse<String> r = api.post("/api/designer/edit", "application/json", body.toString());
                long ms = (System.nanoTime() - t0) / 1_000_000;
                if (r.statusCode() != 200) throw new AssertionError(r.body());
                System.out.printf("bench: designer edit at 2000 steps, round %d: %d ms round trip (%d KB sent, %d KB answered)%n",
                        round + 1, ms, body.toString().length() / 1024, r.body().length() / 1024);
                text = json.readTree(r.body()).get("text").asText();
            }
            // changes only: the base's sha256 and the edit; the answer holds what changed
            String base = json.readTree(api.post("/api/designer/edit", "application/json",
                    json.createObjectNode().put("text", text).put("file", "big.yaml").toString()).body()).get("sha256").asText();
            for (int round = 0; round < 6; round++) {
                ObjectNode body = json.createObjectNode();
                body.put("base", base);
                body.put("file", "big.yaml");
                body.putArray("edits").addObject().put("op", "setStepField").put("id", "c7-s50").put("field", "run").put("value", "echo delta " + round);
                long t0 = System.nanoTime();
                HttpResponse<String> r = api.post("/api/designer/edit", "application/json", body.toString());
                long ms = (System.nanoTime() - t0) / 1_000_000;
                if (r.statusCode() != 200) throw new AssertionError(r.body());
                System.out.printf("bench: designer edit at 2000 steps, changes only, round %d: %d ms round trip (%d bytes sent, %d answered)%n",
                        round + 1, ms, body.toString().length(), r.body().length());
                base = json.readTree(r.body()).get("sha256").asText();
            }
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
