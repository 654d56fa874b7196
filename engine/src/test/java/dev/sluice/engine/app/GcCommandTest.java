package dev.sluice.engine.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.engine.store.OldRuns;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcCommandTest {

    @TempDir
    Path dir;

    @Test
    void dryRunSaysWhatTheRealRunThenFrees() {
        Instant now = Instant.now();
        OldRuns fixture = OldRuns.open(dir);
        fixture.add("etl", 40, now.minus(Duration.ofDays(20)), Duration.ofHours(1), "SUCCEEDED", 2048);
        List<String> recent = fixture.add("etl", 3, now.minus(Duration.ofDays(1)), Duration.ofHours(1), "FAILED", 2048);
        fixture.close();
        Cli cli = new Cli(dir);

        Cli.Result text = cli.run("gc", "--data-dir", dir.toString(), "--older-than", "7d", "--dry-run");
        assertThat(text.exitCode()).isZero();
        assertThat(text.out()).startsWith("would delete 40 runs (etl 40)\n").contains("artifact files: 80, ", "would free ",
                "run again without --dry-run");

        JsonNode dry = json(cli, "--older-than", "7d", "--dry-run");
        JsonNode real = json(cli, "--older-than", "7d");
        assertThat(dry.get("dry_run").asBoolean()).isTrue();
        assertThat(real.get("runs").asInt()).isEqualTo(dry.get("runs").asInt()).isEqualTo(40);
        assertThat(real.get("rows")).isEqualTo(dry.get("rows"));
        assertThat(real.get("freed_bytes").asLong()).isEqualTo(dry.get("freed_bytes").asLong()).isGreaterThan(40 * 2048L);

        Cli.Result runs = cli.run("runs", "--limit", "100");
        assertThat(runs.out().lines().skip(1)).hasSize(3).allSatisfy(l -> assertThat(recent).anyMatch(l::startsWith));
        assertThat(json(cli, "--older-than", "7d").get("runs").asInt()).isZero();
    }

    @Test
    void refusesToGuessWhatToDelete() {
        Cli.Result r = new Cli(dir).run("gc", "--data-dir", dir.toString());
        assertThat(r.exitCode()).isEqualTo(Main.INVALID);
        assertThat(r.err()).contains("--older-than", "--keep-last");
        Cli.Result bad = new Cli(dir).run("gc", "--data-dir", dir.toString(), "--older-than", "a week");
        assertThat(bad.exitCode()).isEqualTo(Main.INVALID);
        assertThat(bad.err()).contains("--older-than: bad duration 'a week'");
    }

    private JsonNode json(Cli cli, String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "gc";
        all[1] = "--json";
        all[2] = "--data-dir";
        all[3] = dir.toString();
        System.arraycopy(args, 0, all, 4, args.length);
        Cli.Result r = cli.run(all);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r.json();
    }
}
