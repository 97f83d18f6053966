package io.hyperops.task.update;

import io.hyperops.spi.RunOutcome;
import io.hyperops.testing.TestingGuests;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The gate's rules with hand-written jobs and libvirt's test driver, and once against the real daemon. */
final class TestHealthGate
{
    private static final Logger LOG = LoggerFactory.getLogger(TestHealthGate.class);
    private static final Duration INTERVAL = Duration.ofMillis(100);

    @TempDir
    Path folder;

    @Test
    void passesWhenHealthSucceedsAndTheGuestsRun()
            throws Exception
    {
        TestingUpdateHost host = host(TestingLibvirtConnection.testDriver());
        host.jobs.job("health", RunOutcome.SUCCESS);

        assertThat(gate(host).await(settings("health"), Set.of("test"), LOG)).isEmpty();
        assertThat(host.jobs.runs()).containsExactly("health");
    }

    @Test
    void aFailedHealthRunOrAnErrorInTheStatusFileFails()
            throws Exception
    {
        TestingUpdateHost host = host(TestingLibvirtConnection.testDriver());
        host.jobs.job("health", RunOutcome.FAILED);

        assertThat(gate(host).await(settings("health"), Set.of(), LOG)).containsExactly("health job 'health' ended failed: failed");

        TestingUpdateHost other = host(TestingLibvirtConnection.testDriver());
        other.jobs.job("health", RunOutcome.WARNING);
        other.writeHealth("ERROR");
        assertThat(gate(other).await(settings("health"), Set.of(), LOG)).containsExactly("health-status.json says overall_status ERROR");
    }

    @Test
    void aTimedOutHealthRunFails()
            throws Exception
    {
        TestingUpdateHost host = host(TestingLibvirtConnection.testDriver());
        host.jobs.job("health", RunOutcome.TIMED_OUT);

        assertThat(gate(host).await(settings("health"), Set.of(), LOG)).singleElement().asString().startsWith("health job 'health' ended timed-out");
    }

    @Test
    void libvirtThatDoesNotAnswerFails()
            throws Exception
    {
        TestingLibvirtConnection libvirt = TestingLibvirtConnection.testDriver();
        TestingUpdateHost host = host(libvirt);
        HealthGate gate = gate(host);
        assertThat(gate.runningGuests()).containsExactly("test");

        libvirt.stopAnswering();

        assertThat(gate.await(settings(""), Set.of("test"), LOG)).containsExactly("libvirtd does not answer on test:///default: libvirtd does not answer (test)");
        assertThatThrownBy(gate::runningGuests).isInstanceOf(UpdateException.class);
    }

    @Test
    void aMissingHealthJobIsAProblemNotACrash()
            throws Exception
    {
        TestingUpdateHost host = host(TestingLibvirtConnection.testDriver());

        assertThat(gate(host).await(settings("health"), Set.of(), LOG)).containsExactly("health job 'health' cannot run: no job named 'health'");
    }

    @Test
    void triesAgainUntilTheGracePeriodEnds()
            throws Exception
    {
        TestingUpdateHost host = host(TestingLibvirtConnection.testDriver());
        host.jobs.job("health", RunOutcome.FAILED);
        // seconds: a second attempt comes only if the first (a cold libvirt connection on a busy machine)
        // ends an interval before the grace period does
        Duration grace = Duration.ofSeconds(3);
        long start = System.nanoTime();

        List<String> problems = gate(host).await(settings("health", grace), Set.of(), LOG);

        assertThat(problems).isNotEmpty();
        // tried again, but at most once per interval however fast the attempts are
        assertThat(host.jobs.runs()).hasSizeBetween(2, (int) (grace.toMillis() / INTERVAL.toMillis()) + 1);
        // it gave up only once less than an interval was left
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(grace.minus(INTERVAL));
    }

    @Test
    @Tag("libvirt")
    void aRealGuestThatStopsFailsTheGate()
            throws Exception
    {
        try (TestingGuests guests = TestingGuests.connect()) {
            TestingGuests.Guest guest = guests.createRunning("update-gate");
            TestingUpdateHost host = host(TestingLibvirtConnection.system());
            HealthGate gate = gate(host);
            Set<String> before = gate.runningGuests();
            assertThat(before).contains(guest.name());

            // only this test's guest: other test runs on the shared libvirtd start and remove theirs meanwhile
            assertThat(gate.await(settings(""), Set.of(guest.name()), LOG)).isEmpty();

            guests.domain(guest).destroy();

            assertThat(gate.await(settings(""), Set.of(guest.name()), LOG)).containsExactly("guests that ran before the update do not run: " + guest.name());
        }
    }

    private TestingUpdateHost host(TestingLibvirtConnection libvirt)
    {
        return new TestingUpdateHost(folder.resolve("host-" + System.nanoTime()), libvirt);
    }

    private static HealthGate gate(TestingUpdateHost host)
    {
        return new HealthGate(host.jobs, host.libvirt, host.jsonFiles, host.paths);
    }

    /** A short grace period: a failing gate waits all of it, and these need no second attempt. */
    private static UpdateSettings settings(String healthJob)
    {
        return settings(healthJob, Duration.ofMillis(300));
    }

    private static UpdateSettings settings(String healthJob, Duration gracePeriod)
    {
        return new UpdateSettings(null, null, null, null, healthJob, gracePeriod, INTERVAL, null);
    }
}
