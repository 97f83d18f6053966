package io.hyperops.task.health.check;

import io.hyperops.spi.CheckStatus;
import io.hyperops.task.health.HostFiles;
import io.hyperops.task.health.TestingCommandRunner;
import io.hyperops.task.health.TestingHost;
import io.hyperops.task.health.TestingLibvirtConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The libvirtd check on systemd hosts, with systemctl's answers given. */
final class TestServiceChecks
{
    @TempDir
    Path folder;

    @Test
    void libvirtIsUpWhenItsDaemonRunsOrASocketStartsItOnDemand()
            throws Exception
    {
        Path root = folder.resolve("root");
        HostFiles host = TestingHost.create(root);
        Files.createDirectories(root.resolve("run/systemd/system"));
        TestingCommandRunner idle = systemctl(3, 0, 3, 3);
        TestingCommandRunner modular = systemctl(3, 3, 0, 3);
        TestingCommandRunner down = systemctl(3, 3, 3, 3);

        CheckResult socket = new ServiceChecks(host, idle, TestingLibvirtConnection.testDriver(), Duration.ofSeconds(5)).libvirtd();
        CheckResult virtqemud = new ServiceChecks(host, modular, TestingLibvirtConnection.testDriver(), Duration.ofSeconds(5)).libvirtd();
        CheckResult none = new ServiceChecks(host, down, TestingLibvirtConnection.testDriver(), Duration.ofSeconds(5)).libvirtd();

        // Debian's libvirtd exits when idle and its socket starts it again
        assertThat(socket.status()).isEqualTo(CheckStatus.OK);
        assertThat(socket.message()).contains("libvirtd.socket");
        assertThat(virtqemud.status()).isEqualTo(CheckStatus.OK);
        assertThat(virtqemud.message()).contains("virtqemud");
        assertThat(none.status()).isEqualTo(CheckStatus.ERROR);
    }

    /** systemctl is-active's exit codes for libvirtd, libvirtd.socket, virtqemud and virtqemud.socket. */
    private static TestingCommandRunner systemctl(int libvirtd, int libvirtdSocket, int virtqemud, int virtqemudSocket)
    {
        return new TestingCommandRunner()
                .answer(List.of("systemctl", "is-active", "--quiet", "libvirtd"), libvirtd, "")
                .answer(List.of("systemctl", "is-active", "--quiet", "libvirtd.socket"), libvirtdSocket, "")
                .answer(List.of("systemctl", "is-active", "--quiet", "virtqemud"), virtqemud, "")
                .answer(List.of("systemctl", "is-active", "--quiet", "virtqemud.socket"), virtqemudSocket, "");
    }
}
