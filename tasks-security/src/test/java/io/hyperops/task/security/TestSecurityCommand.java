package io.hyperops.task.security;

import io.hyperops.task.security.polkit.PolkitRules;
import io.hyperops.testing.TestingEngineFacts;
import io.hyperops.testing.TestingJobAccess;
import io.hyperops.testing.TestingSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

final class TestSecurityCommand
{
    @TempDir
    Path folder;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void printsTheRulesForTheConfiguredGroups()
            throws Exception
    {
        SecurityAuditSettings settings = TestingSettings.of(SecurityAuditSettings.class, "operatorGroup", "vm-ops", "adminGroup", "sysadmins");

        int exitCode = command(settings).run(List.of("polkit-rules"), new PrintWriter(out), new PrintWriter(err));

        assertThat(exitCode).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo(new PolkitRules("vm-ops", "sysadmins").render());
    }

    @Test
    void unsetGroupsAreTheEnginesSoEngineAdminGroupReachesThePolkitRules()
            throws Exception
    {
        // docs/cli.md has Debian admins set engine.admin_group to sudo; the rules must follow it
        TestingEngineFacts debian = new TestingEngineFacts(Path.of("/etc/hypervisor/hyperops.json"), Path.of("/run/hyperops/control.sock"), "hypervisor-operator", "sudo", List.of());
        SecurityCommand command = new SecurityCommand(new TestingJobAccess().with(SecurityPlugin.AUDIT_JOB, SecurityAuditSettings.defaults()), debian);

        int exitCode = command.run(List.of("polkit-rules"), new PrintWriter(out), new PrintWriter(err));

        assertThat(exitCode).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo(new PolkitRules("hypervisor-operator", "sudo").render());
    }

    @Test
    void installsTheFileAtomicallyReadableByPolkitd()
            throws Exception
    {
        Path rules = folder.resolve("50-hyperops-libvirt.rules");
        Files.writeString(rules, "// an older version\n");

        int exitCode = command(SecurityAuditSettings.defaults())
                .run(List.of("polkit-rules", "--output", rules.toString(), "--operator-group", "ops"), new PrintWriter(out), new PrintWriter(err));

        assertThat(exitCode).as(err.toString()).isZero();
        assertThat(Files.readString(rules)).isEqualTo(new PolkitRules("ops", "wheel").render());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rules))).isEqualTo("rw-r--r--");
        assertThat(out.toString()).contains("Wrote " + rules, "access_drivers = [ \"polkit\" ]");
        assertThat(folder).isDirectoryNotContaining("glob:**/.*tmp");
    }

    @Test
    void refusesAGroupNameThatIsNoGroupName()
            throws Exception
    {
        int exitCode = command(SecurityAuditSettings.defaults())
                .run(List.of("polkit-rules", "--admin-group", "wheel\"); polkit.addRule(x"), new PrintWriter(out), new PrintWriter(err));

        assertThat(exitCode).isEqualTo(1);
        assertThat(err.toString()).contains("admin_group", "is not a valid group name");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anUnknownOptionIsAUsageError()
            throws Exception
    {
        int exitCode = command(SecurityAuditSettings.defaults()).run(List.of("polkit-rules", "--operator"), new PrintWriter(out), new PrintWriter(err));

        assertThat(exitCode).isEqualTo(SecurityCommand.USAGE);
        assertThat(err.toString()).contains("Usage: hyperops security polkit-rules");
    }

    private static SecurityCommand command(SecurityAuditSettings settings)
    {
        return new SecurityCommand(new TestingJobAccess().with(SecurityPlugin.AUDIT_JOB, settings), TestingEngineFacts.defaults());
    }
}
