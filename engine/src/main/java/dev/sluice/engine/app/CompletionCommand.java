package dev.sluice.engine.app;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code sluice completion bash|zsh}: prints picocli's completion script for every command and
 * option. The script is one for both shells (in zsh it loads {@code bashcompinit} itself); zsh gets
 * a first line that says how to load it.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a shell completion script for sluice: subcommands and options complete on TAB.",
                "bash: source <(sluice completion bash)   (or save it under ~/.local/share/bash-completion/completions/sluice)",
                "zsh:  source <(sluice completion zsh)    (in ~/.zshrc, after compinit)"})
final class CompletionCommand implements Callable<Integer> {

    enum Shell { bash, zsh }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        PrintWriter out = spec.commandLine().getOut();
        if (shell == Shell.zsh) {
            out.println("# sluice completion for zsh: source this file, e.g. source <(sluice completion zsh) in ~/.zshrc");
        }
        out.print(AutoComplete.bash(root.getCommandName(), root));
        out.flush();
        return 0;
    }
}
