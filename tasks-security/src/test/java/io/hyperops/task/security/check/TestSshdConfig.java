package io.hyperops.task.security.check;

import io.hyperops.task.security.Finding;
import io.hyperops.task.security.HostRoot;
import io.hyperops.task.security.TestingHostTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

final class TestSshdConfig
{
    @TempDir
    Path folder;

    @Test
    void theFirstValueWinsAndIncludesCountWhereTheyStand()
            throws Exception
    {
        TestingHostTree tree = new TestingHostTree(folder);
        // Debian's layout: the drop-in folder is included first, so its values beat the main file's
        tree.file("/etc/ssh/sshd_config", "Include sshd_config.d/*.conf\npasswordauthentication yes\nPermitRootLogin=yes\n");
        tree.file("/etc/ssh/sshd_config.d/20-second.conf", "PasswordAuthentication yes\n");
        tree.file("/etc/ssh/sshd_config.d/10-first.conf", "PasswordAuthentication \"no\"\n");

        SshdConfig config = SshdConfig.read(new HostRoot(folder), Path.of("/etc/ssh/sshd_config")).orElseThrow();

        assertThat(config.global("PasswordAuthentication")).get().satisfies(setting -> {
            assertThat(setting.value()).isEqualTo("no");
            assertThat(setting.location()).isEqualTo("/etc/ssh/sshd_config.d/10-first.conf:1");
        });
        assertThat(config.global("permitrootlogin")).get().extracting(SshdConfig.Setting::value).isEqualTo("yes");
    }

    @Test
    void matchBlocksHoldUntilTheNextMatchOrTheEndOfTheirFile()
            throws Exception
    {
        TestingHostTree tree = new TestingHostTree(folder);
        tree.file("/etc/ssh/sshd_config", "Include /etc/ssh/extra.conf\nPermitRootLogin no\n"
                + "Match Address 10.0.0.0/8\n  PasswordAuthentication yes\nMatch all\nX11Forwarding no\n");
        tree.file("/etc/ssh/extra.conf", "Match User backup\n  PermitRootLogin yes\n");

        SshdConfig config = SshdConfig.read(new HostRoot(folder), Path.of("/etc/ssh/sshd_config")).orElseThrow();

        assertThat(config.global("PermitRootLogin")).get().extracting(SshdConfig.Setting::value).isEqualTo("no");
        assertThat(config.inMatchBlocks("PermitRootLogin")).singleElement()
                .satisfies(setting -> assertThat(setting.match()).contains("Match User backup (/etc/ssh/extra.conf:1)"));
        assertThat(config.inMatchBlocks("PasswordAuthentication")).singleElement()
                .satisfies(setting -> assertThat(setting.location()).isEqualTo("/etc/ssh/sshd_config:4"));
        assertThat(config.global("X11Forwarding")).isPresent();
        assertThat(config.global("PasswordAuthentication")).isEmpty();
    }

    @Test
    void aValueUnderMatchAllIsWhatEveryConnectionGets()
            throws Exception
    {
        TestingHostTree tree = new TestingHostTree(folder);
        // Match all takes every connection, and a Match block's value overrides the global one
        tree.file("/etc/ssh/sshd_config", "PasswordAuthentication no\nPermitRootLogin no\n\nMatch all\n    PasswordAuthentication yes\n    PermitRootLogin yes\n");
        HostChecks checks = new HostChecks(new HostRoot(folder), Path.of("/etc/ssh/sshd_config"));

        SshdConfig config = SshdConfig.read(new HostRoot(folder), Path.of("/etc/ssh/sshd_config")).orElseThrow();

        assertThat(config.global("PasswordAuthentication")).get().extracting(SshdConfig.Setting::value).isEqualTo("yes");
        assertThat(checks.sshdPasswordAuthentication().severity().name()).isEqualTo("WARN");
        assertThat(checks.sshdPermitRootLogin().severity().name()).isEqualTo("WARN");
    }

    @Test
    void aPasswordInAMatchBlockIsAFinding()
            throws Exception
    {
        TestingHostTree tree = new TestingHostTree(folder);
        tree.file("/etc/ssh/sshd_config", "PasswordAuthentication no\nPermitRootLogin prohibit-password\nMatch User deploy\n  PasswordAuthentication yes\n");
        HostChecks checks = new HostChecks(new HostRoot(folder), Path.of("/etc/ssh/sshd_config"));

        assertThat(checks.sshdPasswordAuthentication().evidence()).contains("PasswordAuthentication yes at /etc/ssh/sshd_config:4 in Match User deploy");
        assertThat(checks.sshdPasswordAuthentication().severity().name()).isEqualTo("WARN");
        // key-only root login is better than a password, not as good as none
        assertThat(checks.sshdPermitRootLogin().severity().name()).isEqualTo("INFO");
        assertThat(checks.sshdPermitRootLogin().fix()).isPresent();
    }

    @Test
    void keyboardInteractiveThroughPamIsAPasswordUnlessAKeyComesFirst()
            throws Exception
    {
        // PasswordAuthentication no is not the end of passwords: with UsePAM yes, keyboard-interactive runs
        // PAM's auth stack, which asks for the Unix password; only a key in every AuthenticationMethods
        // chain makes that a second factor
        assertThat(passwordFinding("PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM yes\n"))
                .as("Debian's shipped settings").startsWith("OK");
        assertThat(passwordFinding("PasswordAuthentication no\nKbdInteractiveAuthentication yes\nUsePAM yes\n"))
                .startsWith("WARN").contains("keyboard-interactive through PAM asks for the password (KbdInteractiveAuthentication yes at /etc/ssh/sshd_config:2, UsePAM yes at /etc/ssh/sshd_config:3)");
        assertThat(passwordFinding("PasswordAuthentication no\nUsePAM yes\n"))
                .startsWith("WARN").contains("KbdInteractiveAuthentication is not set, and OpenSSH's default is yes");
        assertThat(passwordFinding("PasswordAuthentication no\nChallengeResponseAuthentication yes\nUsePAM yes\n"))
                .as("the old name").startsWith("WARN").contains("ChallengeResponseAuthentication yes");
        assertThat(passwordFinding("PasswordAuthentication no\nKbdInteractiveAuthentication yes\nUsePAM no\n"))
                .as("without PAM there is no password behind it").startsWith("OK");
        assertThat(passwordFinding("KbdInteractiveAuthentication yes\nUsePAM yes\nAuthenticationMethods publickey,keyboard-interactive\n"))
                .as("a key first: PAM is the second factor").startsWith("OK");
        assertThat(passwordFinding("PasswordAuthentication no\nUsePAM yes\nAuthenticationMethods publickey keyboard-interactive\n"))
                .as("two chains, one of them without a key").startsWith("WARN");
        assertThat(passwordFinding("AuthenticationMethods publickey\nPasswordAuthentication yes\nMatch User deploy\n  AuthenticationMethods any\n"))
                .startsWith("WARN").contains("PasswordAuthentication yes at /etc/ssh/sshd_config:2 in Match User deploy")
                .doesNotContain("sshd accepts passwords: PasswordAuthentication yes at /etc/ssh/sshd_config:2;");
    }

    private String passwordFinding(String sshdConfig)
            throws Exception
    {
        new TestingHostTree(folder).file("/etc/ssh/sshd_config", sshdConfig);
        Finding finding = new HostChecks(new HostRoot(folder), Path.of("/etc/ssh/sshd_config")).sshdPasswordAuthentication();
        return finding.severity().name() + " " + finding.evidence();
    }

    @Test
    void aHostWithoutSshdIsInformation()
            throws Exception
    {
        HostChecks checks = new HostChecks(new HostRoot(folder), Path.of("/etc/ssh/sshd_config"));

        assertThat(checks.sshdPasswordAuthentication().severity().name()).isEqualTo("INFO");
        assertThat(checks.sshdPermitRootLogin().evidence()).contains("sshd is not configured");
    }
}
