package io.hyperops.task.security.check;

import io.hyperops.spi.CheckStatus;
import io.hyperops.task.security.HostRoot;
import io.hyperops.task.security.TestingHostTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

final class TestConfigChecks
{
    @TempDir
    Path folder;

    @Test
    void anOptionalSecondFactorDoesNotCount()
            throws Exception
    {
        TestingHostTree tree = new TestingHostTree(folder);
        tree.file("/etc/pam.d/sshd", "# auth required pam_google_authenticator.so\nauth optional pam_google_authenticator.so\n");
        tree.file("/etc/pam.d/sudo", "auth include common-2fa\n");
        tree.file("/etc/pam.d/common-2fa", "auth [success=done default=die] /usr/lib/security/pam_oath.so usersfile=/etc/users.oath\n");

        ConfigChecks checks = new ConfigChecks(new HostRoot(folder));

        assertThat(checks.adminMfa(List.of("sshd", "sudo")).evidence())
                .startsWith("no second factor in /etc/pam.d/sshd")
                .contains("present in sudo (pam_oath.so in /etc/pam.d/common-2fa)");
    }

    @Test
    void aSecondFactorAnyoneUnenrolledSkipsDoesNotCount()
            throws Exception
    {
        TestingHostTree tree = new TestingHostTree(folder);
        tree.file("/etc/pam.d/sshd", "auth required pam_google_authenticator.so nullok\n");
        tree.file("/etc/pam.d/sudo", "auth required pam_u2f.so nouserok cue\nauth [success=done default=ignore] pam_oath.so usersfile=/etc/users.oath\n");

        ConfigChecks checks = new ConfigChecks(new HostRoot(folder));

        assertThat(checks.adminMfa(List.of("sshd", "sudo")).severity()).isNotEqualTo(CheckStatus.OK);
        assertThat(checks.adminMfa(List.of("sshd", "sudo")).evidence()).contains("no second factor in /etc/pam.d/sshd").doesNotContain("present in sudo");
    }

    @Test
    void rsyslogForwardingInEachSyntaxCounts()
            throws Exception
    {
        TestingHostTree tree = new TestingHostTree(folder);
        tree.file("/etc/rsyslog.conf", "# *.* @@commented.example.org\nmodule(load=\"imjournal\")\n");
        tree.file("/etc/rsyslog.d/50-remote.conf", "action(type=\"omfwd\"\n       target=\"logs.example.org\" port=\"6514\" protocol=\"tcp\")\n");

        ConfigChecks checks = new ConfigChecks(new HostRoot(folder));

        assertThat(checks.centralLogging().severity()).isEqualTo(CheckStatus.OK);
        assertThat(checks.centralLogging().evidence()).contains("rsyslog forwards to logs.example.org (omfwd)").doesNotContain("commented");
    }

    @Test
    void forwardingOnlyToTheLocalSyslogIsNotCentral()
            throws Exception
    {
        TestingHostTree tree = new TestingHostTree(folder);
        tree.file("/etc/systemd/journald.conf", "[Journal]\nForwardToSyslog=yes\n");
        tree.file("/etc/rsyslog.conf", "*.* /var/log/syslog\n");

        ConfigChecks checks = new ConfigChecks(new HostRoot(folder));

        assertThat(checks.centralLogging().severity()).isEqualTo(CheckStatus.WARN);
        assertThat(checks.centralLogging().evidence()).contains("journald ForwardToSyslog=yes");
    }
}
