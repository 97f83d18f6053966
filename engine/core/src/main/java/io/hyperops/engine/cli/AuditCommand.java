package io.hyperops.engine.cli;

import io.hyperops.engine.audit.AuditChain;
import io.hyperops.engine.audit.AuditForwarding;
import io.hyperops.engine.audit.AuditTrail;
import io.hyperops.engine.config.CurrentConfig;
import io.hyperops.engine.config.EngineConfig;
import io.hyperops.engine.json.JsonMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code hyperops audit verify}: checks the audit log's hash chain against its head file. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "The tamper-evident audit log.",
        subcommands = AuditCommand.Verify.class)
final class AuditCommand
        implements Runnable
{
    @Spec
    CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check every entry's hash chain and the head file; report the first broken entry. Exit 0 intact, 2 broken.")
    static final class Verify
            implements Callable<Integer>
    {
        @Mixin
        EngineOptions options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call()
                throws Exception
        {
            PrintWriter out = spec.commandLine().getOut();
            Optional<EngineConfig> loaded = options.loadOrAccepted(spec.commandLine().getErr());
            if (loaded.isEmpty()) {
                return ExitCodes.CONFIG;
            }
            EngineConfig config = loaded.get();
            CurrentConfig current = new CurrentConfig(config);
            AuditTrail trail = new AuditTrail(config.engine().paths(), JsonMapper.create(), Clock.systemUTC(), new AuditForwarding(current));
            AuditChain.Verdict verdict = trail.verify();
            if (verdict.intact()) {
                out.printf("%s: intact, %d entries%s%n", trail.file(), verdict.entries(),
                        verdict.tornLines() == 0 ? "" : "; " + verdict.tornLines() + " torn line(s) of appends cut off by a crash skipped");
                out.flush();
                return ExitCodes.SUCCESS;
            }
            out.printf("%s: BROKEN at line %d: %s (entries intact before it: %d)%n", trail.file(), verdict.brokenAtLine(), verdict.reason(), verdict.entries());
            out.flush();
            return 2;
        }
    }
}
