package io.hyperops.engine.systemd;

import io.hyperops.testing.TestingSystemd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

final class TestSystemdNotifier
{
    @TempDir
    Path folder;

    @Test
    void notificationsReachTheSocketAsSeparateAssignments()
            throws Exception
    {
        try (TestingSystemd systemd = TestingSystemd.listen(folder.resolve("notify"))) {
            SystemdNotifier notifier = SystemdNotifier.forSocket(systemd.socket().toString());
            notifier.send("READY=1\nSTATUS=Scheduling 3 jobs");
            notifier.send("WATCHDOG=1");

            systemd.await("READY=1", 1, Duration.ofSeconds(10));
            systemd.await("STATUS=Scheduling 3 jobs", 1, Duration.ofSeconds(10));
            systemd.await("WATCHDOG=1", 1, Duration.ofSeconds(10));
        }
    }

    @Test
    void theWatchdogIsPettedOnlyWhileTheSchedulerIsHealthy()
            throws Exception
    {
        AtomicBoolean healthy = new AtomicBoolean(false);
        try (TestingSystemd systemd = TestingSystemd.listen(folder.resolve("notify"))) {
            Watchdog watchdog = Watchdog.start(SystemdNotifier.forSocket(systemd.socket().toString()), healthy::get, Duration.ofMillis(50));
            try {
                Thread.sleep(500);
                assertThat(systemd.count("WATCHDOG=1")).as("ten intervals while unhealthy").isZero();

                healthy.set(true);
                systemd.await("WATCHDOG=1", 3, Duration.ofSeconds(10));
            }
            finally {
                watchdog.close();
            }
        }
    }
}
