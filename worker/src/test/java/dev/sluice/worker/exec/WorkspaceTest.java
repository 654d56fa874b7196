package dev.sluice.worker.exec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WorkspaceTest {

    @Test
    void keepsSafeIdsAsTheyAre() {
        assertThat(Workspace.safeName("train-2_x.y")).isEqualTo("train-2_x.y");
    }

    @Test
    void rewritesUnsafeIdsWithAHashSoThatTheyNeverCollide() {
        String brackets = Workspace.safeName("train[c=1]");
        String parens = Workspace.safeName("train(c=1)");

        assertThat(brackets).startsWith("train_c_1_-").matches("[A-Za-z0-9._-]+");
        assertThat(parens).startsWith("train_c_1_-").isNotEqualTo(brackets);
        assertThat(Workspace.safeName("..")).doesNotStartWith(".");
        assertThat(Workspace.safeName("../../etc")).doesNotContain("/");
    }
}
