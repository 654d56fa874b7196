package dev.sluice.worker.exec;

import dev.sluice.worker.protocol.Artifact;
import dev.sluice.worker.protocol.AttemptKey;
import dev.sluice.worker.protocol.TaskRequest;
import dev.sluice.worker.protocol.TaskResult;
import dev.sluice.worker.protocol.TaskResult.Outcome;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class OutputsAndInputsTest extends ExecutorTestBase {

    private TaskRequest withOutputs(String command, String... outputs) {
        return request(command, Map.of(), List.of(outputs), List.of(), null);
    }

    @Test
    void failsWhenADeclaredOutputIsMissing() {
        TaskResult result = run(withOutputs("echo {} > \"$SLUICE_OUTPUTS/other.json\"", "model.json", "other.json"));

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.exitCode()).isZero();
        assertThat(result.error()).isEqualTo("missing output: model.json");
        assertThat(result.outputs()).extracting(Artifact::path).containsExactly("other.json");
    }

    @Test
    void storesFolderOutputsSortedByPath() throws Exception {
        TaskResult result = run(withOutputs("cd \"$SLUICE_OUTPUTS\"; mkdir -p model/sub empty; echo w > model/w.bin;"
                + " echo x > model/sub/x; echo z > z.txt", "model", "z.txt", "empty"));

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.outputs()).extracting(Artifact::path).containsExactly("model/sub/x", "model/w.bin", "z.txt");
        Artifact w = result.outputs().get(1);
        assertThat(w.from()).isEqualTo("step");
        assertThat(w.size()).isEqualTo(2);
        assertThat(Files.readString(store.path(w.sha256()))).isEqualTo("w\n");
    }

    @Test
    void storesIdenticalContentOnce() throws Exception {
        TaskResult first = run(withOutputs("echo same > \"$SLUICE_OUTPUTS/a.txt\"", "a.txt"));
        TaskResult second = run(withOutputs("echo same > \"$SLUICE_OUTPUTS/b.txt\"; echo same > \"$SLUICE_OUTPUTS/c.txt\"", "b.txt"));

        assertThat(first.outputs().get(0).sha256()).isEqualTo(second.outputs().get(0).sha256());
        assertThat(second.outputs()).extracting(Artifact::sha256).containsOnly(first.outputs().get(0).sha256());
        assertThat(storedFiles()).isEqualTo(1);
    }

    @Test
    void materializesInputsUnderTheirProducer() throws Exception {
        Path file = Files.writeString(temp.resolve("raw.csv"), "a,b\n1,2\n");
        Artifact raw = store.put("extract", "data/raw.csv", file);
        TaskRequest request = new TaskRequest(new AttemptKey("run-1", "train[c=0.1]", 1),
                "cat \"$SLUICE_INPUTS/extract/data/raw.csv\"; ls \"$SLUICE_INPUTS\"", workdir.toString(),
                Map.of(), List.of(), List.of(raw), null, 0);

        TaskResult result = run(request);

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(sink.texts('O')).containsExactly("a,b", "1,2", "extract");
    }

    @Test
    void materializesModelsUnderTheirKeysInSluiceModels() throws Exception {
        Artifact model = store.put("train", "model.json", Files.writeString(temp.resolve("m.json"), "{\"w\": 1}"));
        Artifact part = store.put("train", "bundle/sub/a.txt", Files.writeString(temp.resolve("a.txt"), "a"));
        TaskRequest request = new TaskRequest(new AttemptKey("run-1", "score", 1),
                "cat \"$SLUICE_MODELS/clf/model.json\"; echo; cat \"$SLUICE_MODELS/b/sub/a.txt\"; echo; ls \"$SLUICE_MODELS\"",
                workdir.toString(), Map.of(), List.of(), List.of(), null, 0,
                List.of(new Artifact("clf", "model.json", model.sha256(), model.size()),
                        new Artifact("b", "sub/a.txt", part.sha256(), part.size())));

        TaskResult result = run(request);

        assertThat(result.outcome()).as(result.error()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(sink.texts('O')).containsExactly("{\"w\": 1}", "a", "b", "clf");
    }

    @Test
    void refusesAModelKeyThatClimbsOut() throws Exception {
        Artifact model = store.put("train", "model.json", Files.writeString(temp.resolve("m.json"), "x"));
        TaskRequest request = new TaskRequest(new AttemptKey("run-1", "score", 1), "true", workdir.toString(), Map.of(),
                List.of(), List.of(), null, 0, List.of(new Artifact("../x", "model.json", model.sha256(), model.size())));

        TaskResult result = run(request);

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.error()).startsWith("could not materialize models: bad model folder");
    }

    @Test
    void refusesAnInputPathThatClimbsOut() throws Exception {
        Artifact raw = store.put("extract", "raw", Files.writeString(temp.resolve("raw"), "x"));
        TaskRequest request = request("true", Map.of(), List.of(),
                List.of(new Artifact("extract", "../../escape", raw.sha256(), raw.size())), null);

        TaskResult result = run(request);

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.error()).isEqualTo("could not materialize inputs: bad input path: ../../escape");
        assertThat(result.exitCode()).isNull();
    }

    @Test
    void readsMetricsInBothFormsLaterLinesOverriding() {
        TaskResult result = run("echo 'auc 0.5' >> \"$SLUICE_METRICS\"; echo '{\"auc\": 0.91, \"loss\": 1e-3}' >> \"$SLUICE_METRICS\";"
                + " echo 'not a metric line' >> \"$SLUICE_METRICS\"; echo 'rows 5000' >> \"$SLUICE_METRICS\"");

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.metrics()).containsExactly(entry("auc", 0.91), entry("loss", 0.001), entry("rows", 5000.0));
        assertThat(sink.texts('S')).containsExactly(
                "metrics line 3 ignored: expected `name value` or a JSON object of name -> number: not a metric line");
    }

    @Test
    void storesLinksInsideOutputsAndSkipsLinksPointingOutside() throws Exception {
        Files.writeString(workdir.resolve("secret.txt"), "worker file");
        TaskResult result = run(withOutputs("cd \"$SLUICE_OUTPUTS\"; echo real > real.txt; ln -s real.txt inside.txt;"
                + " ln -s '" + workdir.resolve("secret.txt") + "' outside.txt; ln -s /nowhere dangling", "inside.txt"));

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.outputs()).extracting(Artifact::path).containsExactly("inside.txt", "real.txt");
        assertThat(result.outputs().get(0).sha256()).isEqualTo(result.outputs().get(1).sha256());
        assertThat(sink.texts('S')).containsExactlyInAnyOrder(
                "output outside.txt skipped: symbolic link to a file outside $SLUICE_OUTPUTS",
                "output dangling skipped: dangling symbolic link");
    }

    @Test
    void aDeclaredOutputThatIsALinkToOutsideCountsAsMissing() {
        TaskResult result = run(withOutputs("ln -s /etc/hostname \"$SLUICE_OUTPUTS/host\"", "host"));

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.error()).isEqualTo("missing output: host");
        assertThat(result.outputs()).isEmpty();
    }
}
