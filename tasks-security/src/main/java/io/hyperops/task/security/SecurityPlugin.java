package io.hyperops.task.security;

import com.google.inject.Module;
import io.hyperops.spi.CommandDefinition;
import io.hyperops.spi.JobDefaults;
import io.hyperops.spi.JobDefinition;
import io.hyperops.spi.TaskPlugin;

import java.time.Duration;
import java.util.List;

/** The security task: the daily posture audit and the polkit rules that hold operators to the role model in libvirt. */
public final class SecurityPlugin
        implements TaskPlugin
{
    static final String AUDIT_JOB = "security-audit";

    @Override
    public String name()
    {
        return "security";
    }

    @Override
    public Module module()
    {
        return new SecurityModule();
    }

    @Override
    public List<JobDefinition> jobs()
    {
        return List.of(new JobDefinition(
                AUDIT_JOB,
                SecurityAuditJob.class,
                SecurityAuditSettings.class,
                JobDefaults.scheduled("daily").withCatchUp(true).withTimeout(Duration.ofMinutes(10)),
                "Checks sshd, AppArmor, auditd, disk and backup encryption, central logging, admin MFA, guest isolation, libvirt access and "
                        + "hyperops's own files; writes security-status.json with a score (exit 0 OK, 1 WARN, 2 ERROR)"));
    }

    @Override
    public List<CommandDefinition> commands()
    {
        return List.of(new CommandDefinition(
                "security",
                SecurityCommand.class,
                "Security helpers: polkit-rules renders libvirt polkit rules from the role model",
                CommandDefinition.IN_PROCESS,
                // printing the rules reads only; --output installs them
                arguments -> CommandDefinition.subcommands("polkit-rules").test(arguments) && arguments.stream().noneMatch(argument -> argument.startsWith("--output"))));
    }
}
