package dev.sluice.engine.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.worker.protocol.Artifact;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryRulesTest {

    @Test
    void parsesAliasAndVersionReferences() {
        assertThat(ModelRef.parse("heart-disease@champion")).isEqualTo(new ModelRef("heart-disease", "champion", null));
        assertThat(ModelRef.parse("heart-disease:12")).isEqualTo(new ModelRef("heart-disease", null, 12));
        assertThat(ModelRef.parse("m:3").toString()).isEqualTo("m:3");
    }

    @Test
    void refusesBadReferencesWithMessagesThatNeverRepeatALongOrHostileName() {
        assertThatThrownBy(() -> ModelRef.parse("m")).hasMessage("bad model reference 'm': write NAME@ALIAS or NAME:VERSION");
        assertThatThrownBy(() -> ModelRef.parse("m:0")).hasMessageStartingWith("bad model version '0'");
        assertThatThrownBy(() -> ModelRef.parse("m:1e3")).hasMessageStartingWith("bad model version");
        assertThatThrownBy(() -> ModelRef.parse("../m@x")).hasMessageStartingWith("bad model name '../m'");
        assertThatThrownBy(() -> ModelRef.parse("m@a/b")).hasMessageStartingWith("bad alias 'a/b'");
        assertThatThrownBy(() -> ModelRef.parse("m@a:1")).hasMessageStartingWith("bad model reference");
        String huge = "x".repeat(10 * 1024);
        assertThatThrownBy(() -> ModelRef.parse(huge + "@champion")).satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
        assertThat(Names.aliasProblem("champi\u00f3n")).contains("champi\\u00f3n");
        assertThat(Names.aliasProblem("1st")).isNotNull();
        assertThat(Names.modelProblem("1st")).isNull();
        assertThat(Names.aliasProblem("a\nb")).contains("a\\u000ab").doesNotContain("\n");
    }

    @Test
    void aFileOutputIsAFileVersionAndAFolderOutputHashesItsSortedManifest() {
        List<Artifact> outputs = List.of(
                new Artifact("train", "model.json", "a".repeat(64), 10),
                new Artifact("train", "bundle/z.txt", "b".repeat(64), 2),
                new Artifact("train", "bundle/sub/a.txt", "c".repeat(64), 3),
                new Artifact("train", "bundlex/other", "d".repeat(64), 1));

        ModelContent file = ModelContent.of("model.json", outputs).orElseThrow();
        assertThat(file.kind()).isEqualTo("file");
        assertThat(file.sha256()).isEqualTo("a".repeat(64));
        assertThat(file.files()).extracting(ModelFile::path).containsExactly("model.json");

        ModelContent folder = ModelContent.of("./bundle/", outputs).orElseThrow();
        assertThat(folder.kind()).isEqualTo("folder");
        assertThat(folder.files()).extracting(ModelFile::path).containsExactly("sub/a.txt", "z.txt");
        assertThat(folder.size()).isEqualTo(5);
        assertThat(folder.sha256()).isEqualTo(ModelContent.manifestHash(List.of(
                new ModelFile("z.txt", "b".repeat(64), 2), new ModelFile("sub/a.txt", "c".repeat(64), 3))));
        assertThat(ModelContent.of("missing", outputs)).isEmpty();
    }

    @Test
    void expectationsCompareWhereTheAliasIs() {
        assertThat(Expected.any().matches(null)).isTrue();
        assertThat(Expected.absent().matches(null)).isTrue();
        assertThat(Expected.absent().matches(2)).isFalse();
        assertThat(Expected.at(2).matches(2)).isTrue();
        assertThat(Expected.at(2).matches(null)).isFalse();
        assertThat(new AliasConflict("m", "champion", 3, Expected.at(2))).hasMessage("champion is at version 3, not 2");
        assertThat(new AliasConflict("m", "champion", null, Expected.at(2))).hasMessage("champion does not exist (expected at version 2)");
    }
}
