package dev.sluice.engine.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Register steps, model consumption, the models command, rerun and diff, through the command line in local mode. */
class RegistryCliTest {

    @TempDir
    Path dataDir;

    private Cli.Result train(double auc, String content) {
        Cli.Result r = new Cli(dataDir).run("run", Cli.fixture("registry/train.yaml").toString(), "--param", "auc=" + auc,
                "--param", "content=" + content, "--json");
        assertThat(r.exitCode()).as(r.err() + r.out()).isZero();
        return r;
    }

    @Test
    void registersVersionsAndPromotesOnlyABetterOne() {
        Cli.Result first = train(0.8, "first");
        assertThat(first.step("register").get("metrics").get("model_version").asDouble()).isEqualTo(1.0);
        assertThat(first.step("register").get("metrics").get("promoted").asDouble()).isEqualTo(1.0);

        Cli.Result better = train(0.9, "second");
        assertThat(better.step("register").get("metrics").get("promoted").asDouble()).isEqualTo(1.0);
        Cli.Result worse = train(0.85, "third");
        assertThat(worse.step("register").get("metrics").get("model_version").asDouble()).isEqualTo(3.0);
        assertThat(worse.step("register").get("metrics").get("promoted").asDouble()).isEqualTo(0.0);

        String log = new Cli(dataDir).run("logs", worse.json().get("id").asText(), "register").out();
        assertThat(log).contains("not promoted to champion: 'new.metrics.auc > current.metrics.auc' is false",
                "new v3 auc=0.85", "champion v2 auc=0.9");
    }

    @Test
    void aStepConsumesThePinnedChampionAndAMissingModelFailsOnlyItsStep() throws Exception {
        train(0.8, "first");
        Cli.Result r = new Cli(dataDir).run("run", Cli.fixture("registry/score.yaml").toString(), "--json");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(r.step("score").get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(r.step("score").get("metrics").get("version").asDouble()).isEqualTo(1.0);
        assertThat(r.step("bundle").get("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode missing = r.step("missing");
        assertThat(missing.get("status").asText()).isEqualTo("FAILED");
        assertThat(missing.get("reason").asText()).isEqualTo("no model nothing@champion");
        assertThat(missing.get("attempts")).isEmpty();
        assertThat(r.step("independent").get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(r.json().get("models")).hasSize(3);
        assertThat(r.json().get("models").get(0).get("ref").asText()).isEqualTo("clf@champion");
        assertThat(r.json().get("models").get(0).get("version").asInt()).isEqualTo(1);
        assertThat(r.json().get("models").get(2).get("version").isNull()).isTrue();
        assertThat(r.json().get("code").get("pipeline_version").asInt()).isEqualTo(1);

        Cli.Result show = new Cli(dataDir).run("show", r.json().get("id").asText());
        assertThat(show.out()).contains("model: score clf = clf version 1 (clf@champion");
    }
}
