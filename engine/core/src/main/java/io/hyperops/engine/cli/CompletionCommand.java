package io.hyperops.engine.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code hyperops completion}: the bash completion script, which packages install. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print the bash completion script (installed by the .deb; or: source <(hyperops completion)).")
final class CompletionCommand
        implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        spec.commandLine().getOut().print(AutoComplete.bash("hyperops", spec.parent().commandLine()));
        spec.commandLine().getOut().flush();
        return ExitCodes.SUCCESS;
    }
}
