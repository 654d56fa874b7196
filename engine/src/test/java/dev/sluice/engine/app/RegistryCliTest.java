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
        assertThat(r.step("missing-with-if").get("reason").asText()).isEqualTo("no model nothing:3");
        assertThat(r.step("independent").get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(r.json().get("models")).hasSize(4);
        assertThat(r.json().get("models").get(0).get("ref").asText()).isEqualTo("clf@champion");
        assertThat(r.json().get("models").get(0).get("version").asInt()).isEqualTo(1);
        assertThat(r.json().get("models").get(2).get("version").isNull()).isTrue();
        assertThat(r.json().get("code").get("pipeline_version").asInt()).isEqualTo(1);

        Cli.Result show = new Cli(dataDir).run("show", r.json().get("id").asText());
        assertThat(show.out()).contains("model: score clf = clf version 1 (clf@champion");
    }

    @Test
    void listsModelsAndMovesAnAliasBackWithANoteAndRefusesAStaleMove() {
        train(0.8, "first");
        train(0.9, "second");
        Cli cli = new Cli(dataDir);

        Cli.Result list = cli.run("models");
        assertThat(list.out()).contains("clf", "v2", "candidate=v2", "champion=v2", "bundle");
        Cli.Result back = cli.run("models", "alias", "clf", "champion", "1", "--note", "rollback: v2 regressed");
        assertThat(back.exitCode()).as(back.err()).isZero();
        assertThat(back.out()).contains("clf champion: v2 -> v1");
        Cli.Result stale = cli.run("models", "alias", "clf", "champion", "2", "--expect", "2");
        assertThat(stale.exitCode()).isEqualTo(2);
        assertThat(stale.err()).contains("conflict: champion is at version 1, not 2");
        Cli.Result hostile = cli.run("models", "alias", "clf", "../x", "1");
        assertThat(hostile.exitCode()).isEqualTo(2);
        assertThat(hostile.err()).contains("bad alias '../x'");

        Cli.Result detail = cli.run("models", "clf", "--json");
        JsonNode history = detail.json().get("history");
        assertThat(history.get(0).get("note").asText()).isEqualTo("rollback: v2 regressed");
        assertThat(history.get(0).get("by").get("type").asText()).isEqualTo("cli");
        assertThat(history.get(0).get("from_version").asInt()).isEqualTo(2);
        assertThat(detail.json().get("aliases").get("champion").asInt()).isEqualTo(1);
        assertThat(detail.json().get("versions").get(0).get("code").get("pipeline_version").asInt()).isEqualTo(1);

        Cli.Result scored = cli.run("run", Cli.fixture("registry/score.yaml").toString(), "--json");
        assertThat(scored.json().get("models").get(0).get("version").asInt()).isEqualTo(1);
    }

    @Test
    void aRerunReproducesTheOutputsAndPinsTheSameModelVersions() throws Exception {
        train(0.8, "first");
        Cli cli = new Cli(dataDir);
        Cli.Result scored = cli.run("run", Cli.fixture("registry/score.yaml").toString(), "--json");
        String original = scored.json().get("id").asText();
        train(0.9, "second"); // champion moves to v2; the rerun keeps v1

        Cli.Result rerun = cli.run("rerun", original, "--json");
        assertThat(rerun.json().get("rerun_of").asText()).isEqualTo(original);
        assertThat(rerun.json().get("models").get(0).get("version").asInt()).isEqualTo(1);
        String again = rerun.json().get("id").asText();

        Cli.Result diff = cli.run("diff", original, again, "--json");
        assertThat(diff.exitCode()).as(diff.out() + diff.err()).isZero();
        assertThat(diff.json().get("outputs")).isEmpty();
        assertThat(diff.json().get("models")).isEmpty();
        assertThat(diff.json().get("params")).isEmpty();

        Cli.Result trained = train(0.8, "first");
        Cli.Result changed = cli.run("rerun", trained.json().get("id").asText(), "--json");
        Cli.Result trainDiff = cli.run("diff", trained.json().get("id").asText(), changed.json().get("id").asText());
        assertThat(trainDiff.out()).contains("every output is byte for byte the same");
    }

    @Test
    void walksLineageFromAModelBackToItsRunParamsAndPipelineVersion() {
        Cli.Result trained = train(0.8, "first");
        Cli.Result tree = new Cli(dataDir).run("lineage", "clf@champion");

        assertThat(tree.exitCode()).as(tree.err()).isZero();
        assertThat(tree.out()).contains("[model_version] clf version 1 (candidate, champion)", "<-registered_as- [artifact] model.json",
                "<-produced- [attempt] evaluate #1", "[run] reg-train run " + trained.json().get("id").asText(),
                "[pipeline_version] reg-train v1", "[params] params auc=0.8", "[code_version] code: pipeline v1");
        Cli.Result json = new Cli(dataDir).run("lineage", "clf:1", "--json", "--depth", "1");
        assertThat(json.json().get("root").asText()).isEqualTo("model_version:clf:1");
        assertThat(json.json().get("cut")).isNotEmpty();
        Cli.Result nothing = new Cli(dataDir).run("lineage", "nope@champion");
        assertThat(nothing.exitCode()).isEqualTo(2);
    }

    @Test
    void aRegisterStepMissingAMetricFailsOnceWithoutRegisteringAnything() {
        Cli.Result r = new Cli(dataDir).run("run", Cli.fixture("registry/bad-metric.yaml").toString(), "--json");

        assertThat(r.exitCode()).isEqualTo(1);
        JsonNode register = r.step("register");
        assertThat(register.get("status").asText()).isEqualTo("FAILED");
        assertThat(register.get("attempts")).hasSize(1);
        assertThat(register.get("attempts").get(0).get("error").asText())
                .isEqualTo("metric f1 is not among the metrics of step evaluate (it has auc)");
        assertThat(new Cli(dataDir).run("models").out()).contains("no models yet");
    }
}
