package dev.sluice.engine.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** models, models alias, rerun, diff and lineage against a real `sluice server`. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RegistryServerCliTest {

    ServerProcess server;
    Cli cli;
    String firstTraining;

    @BeforeAll
    void start(@TempDir Path root) throws Exception {
        server = new ServerProcess(root, Cli.fixture("registry-remote"));
        cli = new Cli(root.resolve("unused-local-data"));
        Cli.Result first = cli.run("trigger", "reg-train", "--param", "auc=0.8", "--wait", "--json", "--server", server.url);
        assertThat(first.exitCode()).as(first.err()).isZero();
        firstTraining = first.json().get("id").asText();
        Cli.Result second = cli.run("trigger", "reg-train", "--param", "auc=0.9", "--param", "content=second", "--wait",
                "--server", server.url);
        assertThat(second.exitCode()).as(second.err()).isZero();
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) server.close();
    }

    @Test
    void movesTheChampionBackFromTheCommandLineAndTheNextScoringUsesIt() {
        Cli.Result back = cli.run("models", "alias", "clf", "champion", "1", "--note", "rollback: v2 regressed",
                "--expect", "2", "--server", server.url);
        assertThat(back.exitCode()).as(back.err()).isZero();
        Cli.Result stale = cli.run("models", "alias", "clf", "champion", "2", "--expect", "2", "--server", server.url);
        assertThat(stale.exitCode()).isEqualTo(Main.INVALID);
        assertThat(stale.err()).contains("champion is at version 1, not 2");

        Cli.Result detail = cli.run("models", "clf", "--server", server.url);
        assertThat(detail.out()).contains("champion: v2 -> v1  by cli  note: rollback: v2 regressed");
        Cli.Result scored = cli.run("trigger", "reg-score", "--wait", "--json", "--server", server.url);
        JsonNode models = scored.json().get("models");
        assertThat(models.get(0).get("ref").asText()).isEqualTo("clf@champion");
        assertThat(models.get(0).get("version").asInt()).isEqualTo(1);
        cli.run("models", "alias", "clf", "champion", "2", "--note", "forward again", "--server", server.url);
    }

    @Test
    void rerunsOnTheServerAndDiffsAndWalksLineage() {
        Cli.Result rerun = cli.run("rerun", firstTraining, "--wait", "--json", "--server", server.url);
        assertThat(rerun.exitCode()).as(rerun.err()).isZero();
        assertThat(rerun.json().get("rerun_of").asText()).isEqualTo(firstTraining);
        Cli.Result diff = cli.run("diff", firstTraining, rerun.json().get("id").asText(), "--server", server.url);
        assertThat(diff.exitCode()).as(diff.out() + diff.err()).isZero();
        assertThat(diff.out()).contains("params: same", "every output is byte for byte the same");

        Cli.Result tree = cli.run("lineage", "clf:1", "--server", server.url);
        assertThat(tree.exitCode()).as(tree.err()).isZero();
        assertThat(tree.out()).contains("[model_version] clf version 1", "[run] reg-train run " + firstTraining, "[params] params");
        Cli.Result list = cli.run("models", "--json", "--server", server.url);
        assertThat(list.json().get("models")).extracting(m -> m.get("name").asText()).contains("clf", "bundle");
    }
}
