package io.hyperops.task.update;

import io.hyperops.task.update.apt.AptProvider;
import io.hyperops.task.update.apt.AptUpgrade;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The apt provider with the real apt and dpkg, confined to a test folder: a local archive, a private
 * dpkg root ({@link TestingAptArchive}). The host's packages are never touched.
 */
final class TestAptProvider
{
    @TempDir
    Path folder;

    @Test
    void checkSimulatesTheUpgradeAndApplyUpgrades()
            throws Exception
    {
        TestingAptArchive archive = installedAt("1.0");
        archive.publish("2.0");
        AptProvider provider = provider(archive);

        ProviderCheck check = provider.check();

        assertThat(check.updatesAvailable()).isTrue();
        assertThat(check.summary()).isEqualTo("1 package(s) to upgrade");
        assertThat(check.details().get("upgrades")).asInstanceOf(InstanceOfAssertFactories.LIST).singleElement().asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("package", TestingAptArchive.PACKAGE).containsEntry("from", "1.0").containsEntry("to", "2.0");
        assertThat(archive.installedVersion()).isEqualTo("1.0");

        AppliedStep step = provider.apply(check);

        assertThat(archive.installedVersion()).isEqualTo("2.0");
        assertThat(step.rollback()).containsExactly(Map.entry("package:" + TestingAptArchive.PACKAGE, "1.0"));
        assertThat(provider.check().updatesAvailable()).isFalse();
    }

    @Test
    void rollbackReinstallsAndHoldsThePreviousVersion()
            throws Exception
    {
        TestingAptArchive archive = installedAt("1.0");
        archive.publish("2.0");
        AptProvider provider = provider(archive);
        AppliedStep step = provider.apply(provider.check());

        provider.rollback(step);

        assertThat(archive.installedVersion()).isEqualTo("1.0");
        assertThat(archive.dpkgStatus()).isEqualTo("Status: hold ok installed");
        // held: the next check no longer offers the version that was rolled back
        assertThat(provider.check().updatesAvailable()).isFalse();
    }

    @Test
    void thePlannedStepOfAnUpgradeCutOffBeforeItChangedAnythingReinstallsNothingAndHolds()
            throws Exception
    {
        // the plan on record before dpkg starts: a daemon killed before dpkg replaced the package leaves
        // it at its old version; its rollback reinstalls nothing, and holds it as any rollback does, so
        // the update it undid does not come back with the next one
        TestingAptArchive archive = installedAt("1.0");
        archive.publish("2.0");
        AptProvider provider = provider(archive);
        AppliedStep planned = provider.planned(provider.check()).orElseThrow();
        assertThat(planned.rollback()).containsExactly(Map.entry("package:" + TestingAptArchive.PACKAGE, "1.0"));

        String logBefore = Files.readString(archive.dpkgLog());

        provider.rollback(planned);

        assertThat(archive.installedVersion()).isEqualTo("1.0");
        assertThat(archive.dpkgStatus()).isEqualTo("Status: hold ok installed");
        assertThat(provider.check().updatesAvailable()).isFalse();
        assertThat(Files.readString(archive.dpkgLog()).substring(logBefore.length())).as("dpkg did not run").doesNotContain(" install ").doesNotContain(" upgrade ");
    }

    @Test
    void anUpgradeWaitsForAnotherAptHoldingDpkgsLockInsteadOfFailing()
            throws Exception
    {
        // unattended-upgrades runs daily on Debian hosts; an update job starting meanwhile must not fail
        TestingAptArchive archive = installedAt("1.0");
        archive.publish("2.0");
        AptProvider provider = provider(archive);
        ProviderCheck check = provider.check();
        Process holder = new ProcessBuilder("python3", "-c", """
                import fcntl, sys, time
                lock = open(sys.argv[1], "w")
                fcntl.lockf(lock, fcntl.LOCK_EX)
                print("locked", flush=True)
                time.sleep(4)
                """, archive.dpkgFrontendLock().toString()).redirectErrorStream(true).start();
        try {
            assertThat(new String(holder.getInputStream().readNBytes(6))).isEqualTo("locked");

            provider.apply(check);

            assertThat(holder.isAlive()).as("apt waited for the lock to be released").isFalse();
            assertThat(archive.installedVersion()).isEqualTo("2.0");
        }
        finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void aPreviousVersionTheArchiveNoLongerHasCannotBeRestored()
            throws Exception
    {
        TestingAptArchive archive = installedAt("1.0");
        archive.publish("2.0");
        AptProvider provider = provider(archive);
        AppliedStep step = provider.apply(provider.check());
        archive.withdraw("1.0");
        archive.aptGet("-q", "update");

        assertThatThrownBy(() -> provider.rollback(step)).isInstanceOf(UpdateException.class)
                .hasMessage("no archive offers the previous version of " + TestingAptArchive.PACKAGE + " 1.0 any more; those packages stay upgraded");
        assertThat(archive.installedVersion()).isEqualTo("2.0");
    }

    @Test
    void anUpgradeThatFailsHalfWayHandsOverWhatItReplacedAndItsRollbackTakesItBack()
            throws Exception
    {
        TestingAptArchive archive = installedAt("1.0");
        archive.publish(TestingAptArchive.OTHER_PACKAGE, "1.0", false);
        archive.aptGet("-q", "update");
        archive.aptGet("-y", "-q", "install", TestingAptArchive.OTHER_PACKAGE + "=1.0");
        // the other package's new version cannot be configured: apt-get upgrade fails after replacing both
        archive.publish("2.0");
        archive.publish(TestingAptArchive.OTHER_PACKAGE, "2.0", true);
        AptProvider provider = provider(archive);
        ProviderCheck check = provider.check();

        UpdateException failure = catchThrowableOfType(UpdateException.class, () -> provider.apply(check));

        assertThat(failure).hasMessageContaining("apt-get upgrade failed").hasMessageContaining("it had already replaced").hasMessageContaining(TestingAptArchive.OTHER_PACKAGE);
        assertThat(archive.installedVersion(TestingAptArchive.OTHER_PACKAGE)).isEqualTo("2.0");
        assertThat(archive.dpkgStatus(TestingAptArchive.OTHER_PACKAGE)).isEqualTo("Status: install ok half-configured");
        AppliedStep partly = failure.partlyApplied().orElseThrow();
        assertThat(partly.rollback()).containsEntry("package:" + TestingAptArchive.OTHER_PACKAGE, "1.0");
        // what was not replaced is not in the step: its rollback would only hold it at the version it has
        partly.rollback().keySet().forEach(key -> assertThat(key).isIn("package:" + TestingAptArchive.PACKAGE, "package:" + TestingAptArchive.OTHER_PACKAGE));

        provider.rollback(partly);

        assertThat(archive.installedVersion(TestingAptArchive.OTHER_PACKAGE)).isEqualTo("1.0");
        assertThat(archive.dpkgStatus(TestingAptArchive.OTHER_PACKAGE)).isEqualTo("Status: hold ok installed");
        if (partly.rollback().containsKey("package:" + TestingAptArchive.PACKAGE)) {
            assertThat(archive.installedVersion()).isEqualTo("1.0");
        }
    }

    @Test
    void aDpkgInterruptedByTheHostGoingDownIsFinishedBeforeTheUpgradeAndBeforeTheRollback()
            throws Exception
    {
        TestingAptArchive archive = installedAt("1.0");
        archive.publish("2.0");
        AptProvider provider = provider(archive);
        ProviderCheck check = provider.check();
        archive.interruptDpkg();
        // what the real apt says of that state, and what it asked a person to do before
        assertThatThrownBy(() -> archive.aptGet("-y", "-q", "upgrade")).hasMessageContaining("dpkg was interrupted").hasMessageContaining("dpkg --configure -a");

        AppliedStep step = provider.apply(check);

        assertThat(archive.installedVersion()).isEqualTo("2.0");
        assertThat(archive.dpkgStatus()).isEqualTo("Status: install ok installed");
        assertThat(step.summary()).isEqualTo("finished an interrupted dpkg (dpkg --configure -a), then upgraded 1 package(s)");
        assertThat(step.rollback()).containsExactly(Map.entry("package:" + TestingAptArchive.PACKAGE, "1.0"));

        archive.interruptDpkg();
        provider.rollback(step);

        assertThat(archive.installedVersion()).isEqualTo("1.0");
        assertThat(archive.dpkgStatus()).isEqualTo("Status: hold ok installed");
    }

    @Test
    void anUpgradeThatFailsBeforeReplacingAnythingHasNothingToRollBack()
            throws Exception
    {
        TestingAptArchive archive = installedAt("1.0");
        archive.publish("2.0");
        AptProvider provider = provider(archive);
        ProviderCheck check = provider.check();
        // the archive loses the new package's file after the check: the download fails, nothing is replaced
        Files.delete(folder.resolve("repo").resolve(TestingAptArchive.PACKAGE + "_2.0_all.deb"));

        UpdateException failure = catchThrowableOfType(UpdateException.class, () -> provider.apply(check));

        assertThat(failure).hasMessageContaining("apt-get upgrade failed").hasMessageNotContaining("already replaced");
        assertThat(failure.partlyApplied()).isEmpty();
        assertThat(archive.installedVersion()).isEqualTo("1.0");
    }

    @Test
    void readsTheSimulatedUpgradeOfADebianHost()
    {
        // Recorded from apt-get -s upgrade on Debian 12, with a new dependency and an unrelated line.
        String simulation = """
                Reading package lists...
                Building dependency tree...
                Calculating upgrade...
                The following packages will be upgraded:
                  libssl3 openssl
                2 upgraded, 1 newly installed, 0 to remove and 0 not upgraded.
                Inst libssl3 [3.0.11-1~deb12u1] (3.0.15-1~deb12u1 Debian-Security:12/stable-security [amd64])
                Inst openssl [3.0.11-1~deb12u1] (3.0.15-1~deb12u1 Debian-Security:12/stable-security [amd64]) []
                Inst libnew1 (1.2-3 Debian:12.8/stable [amd64])
                Conf libssl3 (3.0.15-1~deb12u1 Debian-Security:12/stable-security [amd64])
                Conf openssl (3.0.15-1~deb12u1 Debian-Security:12/stable-security [amd64])
                """;

        assertThat(AptUpgrade.parse(simulation)).containsExactly(
                new AptUpgrade("libssl3", "3.0.11-1~deb12u1", "3.0.15-1~deb12u1", "Debian-Security:12/stable-security"),
                new AptUpgrade("openssl", "3.0.11-1~deb12u1", "3.0.15-1~deb12u1", "Debian-Security:12/stable-security"),
                new AptUpgrade("libnew1", null, "1.2-3", "Debian:12.8/stable"));
        assertThat(AptUpgrade.parse("0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.")).isEmpty();
    }

    private TestingAptArchive installedAt(String version)
            throws Exception
    {
        assumeTrue(TestingAptArchive.aptAvailable(), "apt-get and dpkg-deb are needed (Debian)");
        TestingAptArchive archive = TestingAptArchive.create(folder);
        archive.publish(version);
        archive.aptGet("-q", "update");
        archive.aptGet("-y", "-q", "install", TestingAptArchive.PACKAGE + "=" + version);
        assertThat(archive.installedVersion()).isEqualTo(version);
        return archive;
    }

    private static AptProvider provider(TestingAptArchive archive)
    {
        return new AptProvider(new ProviderSettings.Apt(null, archive.options(), null, null, null, Duration.ofMinutes(2), null), new ProcessCommandRunner());
    }
}
